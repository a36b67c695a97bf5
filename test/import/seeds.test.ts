/**
 * The proof of the import: every seed document's text, and .docx/.xlsx files built from its tables,
 * imported and compared with the hand-encoded rubric in rubrics/ (the figures are recomputed from the
 * rubrics as they are, so corrections to them show up here). Skips when ../shared/seeds is absent.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fidelityMarkdown, fidelityRows, SEEDS_DIR, type FidelityRow } from '../../src/cli/import';
import { compareRubrics, importFile, readTextTables } from '../../src/import';
import { headerRole } from '../../src/import/headers';
import { loadProgram } from '../../src/engine';
import { listRubricFiles, REPO_ROOT } from '../../src/cli/rubrics';
import { docxFrom, xlsxFrom, type FixtureTable } from './ooxml-fixtures';

const haveSeeds = existsSync(SEEDS_DIR);
if (!haveSeeds) console.warn(`skipping the seed import figures: ${SEEDS_DIR} not found`);

let rows: FidelityRow[] = [];
const load = async (): Promise<FidelityRow[]> => (rows.length ? rows : (rows = await fidelityRows()));

describe.skipIf(!haveSeeds)('importing the seed documents', () => {
  it('finds a hand-encoded rubric for every seed', async () => {
    const r = await load();
    expect(r.map((x) => x.seed)).toEqual(['000_9d38926e1ada6648.txt', '001_df907131779fedef.txt', '002_1a2fbafe29ff21f8.txt', '003_a4adb65e0315a8e0.txt', '004_8116892f3733762d.txt']);
  });

  it('reproduces every criterion with the same texts, points and ancestors', async () => {
    for (const r of await load()) {
      const missing = r.comparison.diffs.filter((d) => !(d.found && d.sameTree && d.samePoints)).map((d) => `${d.variant}:${d.id}`);
      expect(missing, r.seed).toEqual([]);
      expect(r.comparison.extra, r.seed).toBe(0);
    }
  });

  it('reads the same rule for at least 90% of the criteria, in each document', async () => {
    const all = await load();
    for (const r of all) expect(r.comparison.sameRule / r.comparison.criteria, r.seed).toBeGreaterThanOrEqual(0.9);
    const total = all.reduce((n, r) => n + r.comparison.criteria, 0);
    const same = all.reduce((n, r) => n + r.comparison.sameRule, 0);
    expect(same / total).toBeGreaterThanOrEqual(0.95);
  });

  it('flags 需确认 on every criterion whose rule differs (no silent difference)', async () => {
    for (const r of await load()) {
      const silent = r.comparison.diffs.filter((d) => !d.sameRule && !d.flagged).map((d) => `${d.variant}:${d.id} hand ${d.hand} import ${d.imported}`);
      expect(silent, r.seed).toEqual([]);
    }
  });

  it('lists the 考核部门 the table names as units (verbatim, in order)', async () => {
    const r = await importFile('002_1a2fbafe29ff21f8.txt', new Uint8Array(readFileSync(join(SEEDS_DIR, '002_1a2fbafe29ff21f8.txt'))));
    const names = (r.program!.units ?? []).map((u) => u.name);
    expect(names.length).toBe(26);
    expect(names.slice(0, 4)).toEqual(['交通局', '教育局', '政府办(民族宗教局、法制办 )', '财政局']);
    expect(names[25]).toBe('城管局');
  });

  it('lists the units of an annex (附件1 序号 | 部门 …) under the variant they belong to', async () => {
    const r = await importFile('001_df907131779fedef.txt', new Uint8Array(readFileSync(join(SEEDS_DIR, '001_df907131779fedef.txt'))));
    const hand = loadProgram(readFileSync(bySource.get('001_df907131779fedef.txt')!, 'utf8')).program!;
    const index = (p: typeof hand, id: string) => p.variants.findIndex((v) => v.id === id);
    expect((r.program!.units ?? []).map((u) => [u.no, u.name, index(r.program!, u.variant)])).toEqual((hand.units ?? []).map((u) => [u.no, u.name, index(hand, u.variant)]));
  });

  it('has the current figures in the README (npx tsx scripts/import-table.ts --write)', async () => {
    const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
    const m = /<!-- import-table -->\n([\s\S]*?)\n<!-- \/import-table -->/.exec(readme);
    expect(m).not.toBeNull();
    expect(m![1]).toBe(fidelityMarkdown(await load()));
  });

  // The same tables as .docx (w:gridSpan / w:vMerge) and .xlsx (merged ranges) give the same rubric.
  const bySource = new Map<string, string>();
  for (const f of listRubricFiles()) {
    const p = loadProgram(readFileSync(f, 'utf8')).program;
    if (p) bySource.set(p.source, f);
  }
  const tablesOf = (seed: string): { tables: FixtureTable[]; after: string[] } => {
    const { grids, around } = readTextTables(readFileSync(join(SEEDS_DIR, seed), 'utf8'));
    let prev = 0;
    const tables = grids.map((g) => {
      const start = g.lineOf![0];
      const before = around.filter((a) => a.line > prev && a.line < start).map((a) => a.text).filter(Boolean);
      prev = g.lineOf![g.lineOf!.length - 1];
      const mergeCols = g.rows[0].map((h, i) => (['level', 'method', 'target', 'units'].includes(headerRole(h) ?? '') ? i : -1)).filter((i) => i >= 0);
      const width = Math.max(...g.rows.map((r) => r.length));
      // the text extraction lost the header's span: the first name header covers the missing columns
      const header = g.rows[0].filter((h, i) => h.trim() || i === 0);
      const rows = [header.length < width ? header : g.rows[0], ...g.rows.slice(1)];
      const headerSpan = header.length < width ? header.findIndex((h) => headerRole(h) === 'level') : undefined;
      const cols = mergeCols.map((c) => (headerSpan !== undefined && c > headerSpan ? c + width - header.length : c));
      if (headerSpan !== undefined) cols.push(...Array.from({ length: width - header.length }, (_, k) => headerSpan + 1 + k));
      return { before, rows, banner: g.banner, mergeCols: cols, headerSpan };
    });
    return { tables, after: around.filter((a) => a.line > prev).map((a) => a.text).filter(Boolean) };
  };
  for (const seed of ['000_9d38926e1ada6648.txt', '001_df907131779fedef.txt', '002_1a2fbafe29ff21f8.txt', '003_a4adb65e0315a8e0.txt', '004_8116892f3733762d.txt']) {
    it(`gives the same figures from .docx and .xlsx built from ${seed}`, async () => {
      const text = (await load()).find((r) => r.seed === seed)!.comparison;
      const hand = loadProgram(readFileSync(bySource.get(seed)!, 'utf8')).program!;
      const { tables, after } = tablesOf(seed);
      for (const [ext, bytes] of [['docx', await docxFrom(tables, after)], ['xlsx', await xlsxFrom(tables, after)]] as const) {
        const r = await importFile(`${seed}.${ext}`, bytes);
        expect(r.problems.filter((p) => p.severity === 'error'), ext).toEqual([]);
        const c = compareRubrics(r.program!, hand);
        expect({ ext, criteria: c.criteria, tp: c.textsAndPoints, same: c.sameRule, silent: c.silent }).toEqual({ ext, criteria: text.criteria, tp: text.textsAndPoints, same: text.sameRule, silent: 0 });
      }
    });
  }
});
