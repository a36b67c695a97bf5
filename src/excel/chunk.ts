// Large batches are split so that no request nears the web's 5 MB limit: writes are queued through a
// Chunker that estimates each operation's share of the request and syncs when CHUNK_BYTES is reached.
import { CHUNK_BYTES } from './caps';

/** Bytes a queued operation adds to a request: its payload as JSON (UTF-8) plus the object paths and action. */
export function estimateBytes(payload: unknown, actions = 1): number {
  let n = 0;
  if (payload !== undefined) {
    const s = JSON.stringify(payload);
    for (let i = 0; i < s.length; i++) n += s.charCodeAt(i) < 0x80 ? 1 : s.charCodeAt(i) < 0x800 ? 2 : 3;
  }
  return n + actions * 180;
}

export class Chunker {
  private bytes = 0;
  syncs = 0;
  largest = 0;

  constructor(
    private readonly context: Excel.RequestContext,
    private readonly limit = CHUNK_BYTES,
    private readonly beforeSync?: () => void,
    /** Queues what must hold even when a request failed half-way (e.g. events back on); synced at once. */
    private readonly onFailure?: () => void,
  ) {}

  /** Accounts for an operation already queued; syncs first when it would take the request over the limit. */
  async add(bytes: number, queue: () => void): Promise<void> {
    if (this.bytes > 0 && this.bytes + bytes > this.limit) await this.flush();
    queue();
    this.bytes += bytes;
  }

  /** Syncs what is queued (nothing when empty). */
  async flush(): Promise<void> {
    if (this.bytes === 0) return;
    this.beforeSync?.();
    this.largest = Math.max(this.largest, this.bytes);
    this.bytes = 0;
    this.syncs++;
    try {
      await this.context.sync();
    } catch (error) {
      if (this.onFailure) {
        this.onFailure();
        await this.context.sync().catch(() => undefined);
      }
      throw error;
    }
  }

  get limitBytes(): number {
    return this.limit;
  }

  get pending(): number {
    return this.bytes;
  }
}
