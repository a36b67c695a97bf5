/**
 * A write that fails or is killed leaves the previous file whole and no partial file under the final
 * name (issue 10): `dafen make` under `ulimit -f` (the file-size limit: EFBIG), and a writer killed with
 * SIGKILL while its bytes go out. Every write goes through a temporary file in the same folder, renamed
 * into place (src/cli/files.ts).
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeAtomically } from '../../src/cli/files';
import { FIXTURE, ROOT } from '../layout/helpers';

const dir = mkdtempSync(join(tmpdir(), 'dafen-kill-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const OLD = 'the previous file, whole\n';
const hasBash = spawnSync('bash', ['-c', 'ulimit -f 8'], { encoding: 'utf8' }).status === 0;

describe('a write that fails or is killed', () => {
  it.skipIf(!hasBash)('dafen make under ulimit -f: a listed problem (EFBIG), the old file intact, no temporary file left', () => {
    const d = mkdtempSync(join(dir, 'ulimit-'));
    const out = join(d, 'out.xlsx');
    writeFileSync(out, OLD);
    // 8 KB allowed; the workbook is about 26 KB.
    const r = spawnSync('bash', ['-c', 'ulimit -f 8; exec "$0" "$@"', process.execPath, join(ROOT, 'bin/dafen.js'), 'make', FIXTURE, '-o', out, '--force'], {
      cwd: ROOT, encoding: 'utf8', timeout: 60_000,
    });
    expect(r.signal).toBeNull();
    expect(r.status, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/workbook\.outputProblem.*EFBIG/);
    expect(r.stderr).not.toMatch(/^\s+at /m);
    expect(readFileSync(out, 'utf8')).toBe(OLD);
    expect(readdirSync(d)).toEqual(['out.xlsx']);
  }, 60_000);

  it('a writer killed (SIGKILL) mid-write: the final name holds the old file or the whole new one, never part of it', async () => {
    const d = mkdtempSync(join(dir, 'kill-'));
    const out = join(d, 'out.xlsx');
    writeFileSync(out, OLD);
    const MB = 96;
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'test/cli/kill-child.ts'), out, String(MB)], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    const ended = new Promise<NodeJS.Signals | null>((res) => child.on('exit', (_code, signal) => res(signal)));
    // Kill once bytes are arriving in the temporary file (or when the child has ended on its own).
    let partial = 0;
    await new Promise<void>((res) => {
      const tick = setInterval(() => {
        const tmp = readdirSync(d).find((f) => f.endsWith('.tmp'));
        const size = tmp ? (statSync(join(d, tmp), { throwIfNoEntry: false })?.size ?? 0) : 0;
        if (size > 0 || child.exitCode !== null) {
          partial = size;
          child.kill('SIGKILL');
          clearInterval(tick);
          res();
        }
      }, 5);
    });
    const signal = await ended;
    expect(stderr).not.toMatch(/^\s+at /m);
    const now = readFileSync(out);
    const whole = now.length === MB * 1024 * 1024 && now.every((b) => b === 0x4e);
    expect(now.toString('utf8') === OLD || whole, `final name holds ${now.length} bytes`).toBe(true);
    // Killed before the rename (the usual case): the old file is there, untouched; only the temporary file may remain.
    if (signal === 'SIGKILL' && !whole) {
      expect(readdirSync(d).filter((f) => f !== 'out.xlsx').every((f) => f.startsWith('.out.xlsx.') && f.endsWith('.tmp'))).toBe(true);
      expect(partial).toBeLessThan(MB * 1024 * 1024);
    }
    // The next write to that name removes what the killed one left, and lands whole.
    writeAtomically(out, new TextEncoder().encode('next\n'));
    expect(readdirSync(d)).toEqual(['out.xlsx']);
    expect(readFileSync(out, 'utf8')).toBe('next\n');
  }, 60_000);
});
