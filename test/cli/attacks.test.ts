/**
 * The hostile-input corpus (test/fixtures/attacks/, made by attacks-generate.ts): every malformed rubric
 * through `dafen validate`, every tampered or foreign workbook through `dafen score`, in child processes
 * bounded in memory (--max-old-space-size) and time (timeout). Each must end with an exit code of 0, 1 or 2
 * as listed, print the expected problem code, show no stack trace, and leave its input byte for byte.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Case } from './attacks-generate';
import { ROOT } from '../layout/helpers';

const ATTACKS = join(ROOT, 'test/fixtures/attacks');
const cases = JSON.parse(readFileSync(join(ATTACKS, 'cases.json'), 'utf8')) as Case[];
const dir = mkdtempSync(join(tmpdir(), 'dafen-attacks-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** 512 MB of heap for the whole batch: a file that needs more ends the child, and the test fails. */
const HEAP_MB = 512;
const STACK = /^\s+at .+[(:]\d+/m;

function runBatch(name: string, files: string[]): { file: string; rc: number; out: string; before: string; after: string }[] {
  const out = join(dir, `${name}.json`);
  const r = spawnSync(process.execPath, [`--max-old-space-size=${HEAP_MB}`, '--import', 'tsx', join(ROOT, 'test/cli/attacks-run.ts'), out, ...files], {
    cwd: ROOT, encoding: 'utf8', timeout: 10_000 * files.length, maxBuffer: 64 * 1024 * 1024,
  });
  expect(r.signal, `${name}: child ended by ${r.signal} (time or memory bound) ${r.stderr?.slice(0, 1500)}`).toBeNull();
  expect(r.status, r.stderr?.slice(-2000)).toBe(0);
  expect(r.stderr ?? '').not.toMatch(STACK);
  return JSON.parse(readFileSync(out, 'utf8'));
}

describe('hostile input corpus', () => {
  for (const kind of ['rubrics', 'workbooks'] as const) {
    const mine = cases.filter((c) => c.file.startsWith(`${kind}/`));
    it(`${kind}: ${mine.length} files end in listed problems, no stack trace, input unchanged`, () => {
      const results = runBatch(kind, mine.map((c) => join(ATTACKS, c.file)));
      expect(results.length).toBe(mine.length);
      for (const [i, c] of mine.entries()) {
        const r = results[i];
        const what = `${c.file} (${c.why}): rc ${r.rc}\n${r.out.slice(0, 600)}`;
        expect(c.rc, what).toContain(r.rc);
        expect([0, 1, 2], what).toContain(r.rc);
        if (c.code) expect(r.out, what).toContain(` ${c.code}`);
        expect(r.out, what).not.toMatch(STACK);
        expect(r.out, what).not.toMatch(/内部错误|internal error/);
        expect(r.after, what).toBe(r.before);
      }
    }, 120_000);
  }
});

describe('the real command', () => {
  it('a directory named x.xlsx or x.yaml: a problem, exit 1, no stack trace', () => {
    for (const [cmd, ext] of [['score', 'xlsx'], ['validate', 'yaml']]) {
      const d = mkdtempSync(join(dir, `x-`)) + `.${ext}`;
      spawnSync('mkdir', ['-p', d]);
      const r = spawnSync(process.execPath, [join(ROOT, 'bin/dafen.js'), cmd, d], { cwd: ROOT, encoding: 'utf8', timeout: 30_000 });
      expect(r.status, r.stderr).toBe(1);
      expect(r.stderr + r.stdout).toMatch(/文件夹|directory/);
      expect(r.stderr + r.stdout).not.toMatch(STACK);
    }
  }, 60_000);
});
