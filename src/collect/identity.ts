/**
 * A piece's identity (WorkbookMeta.piece): the master it came from, whose entries it holds, its units,
 * when it was sent out, a random id, and a digest over all of these plus the piece's content hash. The
 * merge recomputes the digest: an identity edited by hand in the hidden `_dafen` sheet (another hand,
 * another unit, another master) no longer matches and the file is refused. It guards against mistakes
 * and casual edits, not against someone who reproduces the digest on purpose.
 */
import { canonicalJson, sha256Text, type PieceIdentity, type WorkbookMeta } from '../layout';
import { isHandId, type HandId } from './hands';

/**
 * The master's identity: its workbookId, or (a workbook made before ids existed) one derived from what
 * makes it that cohort — program id, options and units, not the version, so that a master carried to a
 * corrected rubric still takes back the pieces sent out before.
 */
export function masterId(meta: WorkbookMeta): string {
  const id = meta.workbookId;
  if (typeof id === 'string' && id) return id;
  return `derived:${sha256Text(canonicalJson({ program: meta.program.id, options: meta.options, units: meta.sheets.map((s) => s.unit) })).slice(0, 32)}`;
}

export function randomId(): string {
  const c = (globalThis as { crypto?: { randomUUID?: () => string; getRandomValues?: (a: Uint8Array) => Uint8Array } }).crypto;
  if (c?.randomUUID) return c.randomUUID();
  const b = new Uint8Array(16);
  if (c?.getRandomValues) c.getRandomValues(b);
  else for (let i = 0; i < 16; i++) b[i] = Math.floor(Math.random() * 256);
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

const digestOf = (p: Omit<PieceIdentity, 'digest'>, contentHash: string): string =>
  sha256Text(canonicalJson({ master: p.master, hand: p.hand, units: p.units, issued: p.issued, id: p.id, contentHash }));

export function makeIdentity(master: string, hand: HandId, units: string[], contentHash: string, issued: string, id = randomId()): PieceIdentity {
  const p = { master, hand, units: [...units], issued, id };
  return { ...p, digest: digestOf(p, contentHash) };
}

/** Why a piece's identity is not to be trusted (zh, en), or null when it holds together with its workbook. */
export function identityProblem(meta: WorkbookMeta): { zh: string; en: string } | null {
  const p = meta.piece as Partial<PieceIdentity> | undefined;
  if (!p || typeof p !== 'object') return { zh: '缺少分发标识', en: 'no identity' };
  const str = (v: unknown) => typeof v === 'string' && v.length > 0;
  if (!str(p.master) || !str(p.issued) || !str(p.id) || !str(p.digest) || !Array.isArray(p.units) || !p.units.every(str)) return { zh: '分发标识不完整', en: 'the identity is incomplete' };
  if (!isHandId(p.hand)) return { zh: `评分人“${String(p.hand)}”无法识别`, en: `unknown hand "${String(p.hand)}"` };
  if (digestOf(p as PieceIdentity, meta.contentHash) !== p.digest) return { zh: '校验值不符', en: 'the digest does not match' };
  const sheets = meta.sheets.map((s) => s.unit).sort();
  const units = [...p.units].sort();
  if (sheets.length !== units.length || sheets.some((u, i) => u !== units[i])) {
    return { zh: '文件中的单位与分发标识不符', en: 'the units in the file differ from those it was sent out with' };
  }
  return null;
}
