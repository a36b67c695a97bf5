/**
 * Issue 15 end to end: a 台前 master with 自评 and three raters (去掉一个最高分和一个最低分, per criterion) is split
 * into a self-assessment piece per unit and a piece per rater; units and raters fill them in; the rubric is
 * corrected (1.0.1) before the raters' pieces go out, so the units' pieces come back from another version;
 * one rater returns a value the master already holds differently; a foreign file and a duplicate come
 * back too. The merge takes what belongs, carries the old-version pieces by criterion, keeps the conflict as
 * the master's, refuses the foreign file and the duplicate. LibreOffice recalculates the merged workbook
 * and every score, subtotal and total equals the engine's. Skipped, with the reason, without soffice.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scoreHands, type AssessmentPolicy, type HandId, type NodeResult, type Raw } from '../../src/engine';
import { planWorkbook } from '../../src/layout';
import { readFilledWorkbook, writeWorkbook, type FilledWorkbook } from '../../src/xlsx';
import ExcelJS from 'exceljs';
import { mergeWorkbooks, quickRead, splitWorkbook, type CollectFile, type MergeResult } from '../../src/collect';
import { randomInputs } from '../layout/helpers';
import { fill, taiqian, taiqianText } from '../collect/helpers';
import { convert, makeProfile, sofficePath } from './soffice';
import { engineCheck } from './against-engine';

const SOFFICE = sofficePath();
if (!SOFFICE) console.log('[e2e] collect skipped: soffice not found — apt-get install -y --no-install-recommends libreoffice-calc-nogui');

const HANDS: HandId[] = ['self', 'rater1', 'rater2', 'rater3'];
const ASSESSMENT: AssessmentPolicy = { self: true, raters: { count: 3, aggregate: 'trimmedMean', on: 'criterion', spread: 2 } };
const UNITS = ['县安监局', '县残联', '县城管局', '县档案局', '城关镇', '孙口镇'];
const v1 = taiqian();
// 1.0.1: 县直 s1.2 asked as yes/no instead of a score 0–2 (entries for it cannot be carried); the rest as 1.0.0.
const v2 = taiqian(taiqianText().replace('version: 1.0.0', 'version: 1.0.1').replace('rule: { kind: direct, label: 评定得分, min: 0, max: 2 }', 'rule: { kind: yesno, question: 是否达到要求 }'));
const listed = UNITS.map((n) => v1.units!.find((u) => u.name === n)!).map((u) => ({ name: u.name, variant: u.variant, tags: [] }));
// Units self-assess on pieces of 1.0.0; raters score on pieces of 1.0.1.
const typed = Object.fromEntries(HANDS.map((h, i) => [h, Object.fromEntries(randomInputs(h === 'self' ? v1 : v2, listed, 500 + i).map((u) => [u.name, u.inputs]))])) as Record<HandId, Record<string, Record<string, Raw>>>;
// Self-assessments are typed against 1.0.0 (where s1.2 is a score): give the county units one.
for (const u of listed.filter((x) => x.variant === 'county')) typed.self[u.name]['s1.2#score'] = 2;
for (const h of HANDS.slice(1)) for (const u of listed.filter((x) => x.variant === 'county')) delete typed[h][u.name]['s1.2#score'];

let work = '';
let merged: MergeResult;
let recalculated: FilledWorkbook;
let recalcBytes: Uint8Array;
/** A key rater1 entered for 县残联, held by the master beforehand with another value. */
let conflictKey = '';
let masterValue: Raw = null;

describe.runIf(SOFFICE)('split, fill, merge, recalculate: LibreOffice = engine', () => {
  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'dafen-collect-e2e-'));
    // The master (1.0.0); the assessment office had typed one of rater1's figures for 县残联 already.
    const blank = planWorkbook(v1, UNITS, { date: '2019-01-15', assessment: ASSESSMENT });
    conflictKey = Object.keys(typed.rater1['县残联']).find((k) => typeof typed.rater1['县残联'][k] === 'number')!;
    masterValue = (typed.rater1['县残联'][conflictKey] as number) + 1;
    const m1 = await writeWorkbook(planWorkbook(v1, UNITS.map((u) => ({ name: u, hands: u === '县残联' ? { rater1: { [conflictKey]: masterValue } } : {} })), { date: '2019-01-15', assessment: ASSESSMENT, workbookId: blank.meta.workbookId }));
    const selfPieces = (await splitWorkbook(m1, { by: 'unit', file: '台前.xlsx' })).pieces!;
    // The rubric is corrected; the master is carried to 1.0.1 (as dafen update does: same id, entries kept).
    const read1 = await quickRead(m1);
    const m2 = await writeWorkbook(planWorkbook(v2, read1!.units.map((u) => ({ name: u.unit, hands: u.hands, cells: true })), { date: '2019-01-15', assessment: ASSESSMENT, workbookId: blank.meta.workbookId }));
    const raterPieces = (await splitWorkbook(m2, { by: 'rater', file: '台前.xlsx' })).pieces!;
    const returned: CollectFile[] = [];
    for (const p of [...selfPieces, ...raterPieces]) {
      const values = Object.fromEntries(p.units.map((u) => [u, typed[p.hand][u]]));
      returned.push({ name: p.name, bytes: await fill(p.bytes, values) });
    }
    const foreign = await writeWorkbook(planWorkbook(v1, ['城关镇'], {}));
    const files = [...returned, { name: '台前-评委2（再交一次）.xlsx', bytes: returned.find((f) => f.name === '台前-评委2.xlsx')!.bytes }, { name: '城关镇打分表.xlsx', bytes: foreign }];
    merged = await mergeWorkbooks({ name: '台前.xlsx', bytes: m2 }, files);
    const file = join(work, '台前-合并.xlsx');
    writeFileSync(file, merged.bytes!);
    const [out] = await convert(SOFFICE!, makeProfile(join(work, 'profile')), 'xlsx', join(work, 'recalc'), [file]);
    recalcBytes = new Uint8Array(readFileSync(out));
    recalculated = await readFilledWorkbook(recalcBytes);
  }, 300_000);

  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('reports per file: old-version pieces carried, the conflict kept as the master’s, the duplicate and the foreign file refused', () => {
    const r = merged.report!;
    const status = Object.fromEntries(r.files.map((f) => [f.file, f.refusal?.code ?? f.status]));
    expect(status['台前-评委2（再交一次）.xlsx']).toBe('collect.duplicate');
    expect(status['城关镇打分表.xlsx']).toBe('collect.notPiece');
    expect(r.refused).toBe(2);
    for (const u of UNITS) {
      const f = r.files.find((x) => x.file === `台前-自评-${u}.xlsx`)!;
      expect(f.status).toBe('taken');
      expect(f.warnings.map((w) => w.code)).toContain('collect.otherVersion');
    }
    expect(r.conflicts.map((c) => [c.unit, c.hand, c.key, c.master, c.piece, c.kept])).toEqual([['县残联', 'rater1', conflictKey, masterValue, typed.rater1['县残联'][conflictKey], 'master']]);
    // The county units' self-assessed s1.2 (a score in 1.0.0) has no place in 1.0.1: kept, with its value.
    expect(r.unmatched.map((x) => [x.unit, x.key, x.value]).sort()).toEqual(listed.filter((u) => u.variant === 'county').map((u) => [u.name, 's1.2#score', 2]).sort());
  });

  it('every hand’s entries are on the recalculated workbook where they belong', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(recalcBytes as unknown as ArrayBuffer);
    let n = 0;
    for (const sm of recalculated.meta!.sheets) {
      const ws = wb.getWorksheet(sm.name)!;
      for (const h of sm.hands!) {
        const got: Record<string, Raw> = {};
        for (const i of h.inputs) {
          const v = ws.getCell(i.address).value;
          if (v !== null && v !== undefined && v !== '') got[i.key] = v as Raw;
        }
        const want = { ...typed[h.hand][sm.unit] };
        if (h.hand === 'self') delete want['s1.2#score'];
        if (h.hand === 'rater1' && sm.unit === '县残联') want[conflictKey] = masterValue;
        expect(got, `${sm.unit} ${h.hand}`).toEqual(want);
        n += Object.keys(got).length;
      }
    }
    expect(n).toBe(merged.report!.taken + 1);
    // The values kept aside are on the 未匹配录入 sheet LibreOffice saved.
    expect(recalculated.unmatched!.filter((r) => r.includes('s1.2#score')).length).toBe(listed.filter((u) => u.variant === 'county').length);
  });

  it('LibreOffice recalculates every score, subtotal and total to the engine’s figures', () => {
    expect(recalculated.problems.filter((p) => p.severity === 'error')).toEqual([]);
    const entries = recalculated.meta!.sheets.map((s) => {
      const hands = Object.fromEntries(HANDS.map((h) => {
        const want = { ...typed[h][s.unit] };
        if (h === 'self') delete want['s1.2#score'];
        if (h === 'rater1' && s.unit === '县残联') want[conflictKey] = masterValue;
        return [h, want];
      }));
      return { unit: s.unit, variant: s.variant, tags: s.tags, hands, cells: true };
    });
    const res = scoreHands(v2, HANDS, ASSESSMENT, entries);
    const flat = (ns: NodeResult[]): NodeResult[] => ns.flatMap((n) => [n, ...flat(n.children)]);
    const check = engineCheck();
    const close = check.close;
    for (const ru of recalculated.units) {
      const e = res.units.find((u) => u.unit === ru.unit)!.result;
      for (const n of flat(e.nodes)) if (ru.computed[n.id]) close(ru.computed[n.id].value, n.points, `${ru.sheet} ${n.id}`);
      for (const [id, v] of [['$base', e.base], ['$bonus', e.bonus], ['$penalty', e.penalty], ['$final', e.final]] as const) if (ru.computed[id]) close(ru.computed[id].value, v, `${ru.sheet} ${id}`);
      close(recalculated.summary[ru.unit].cells.final?.value, e.final, `${ru.unit} 汇总 总分`);
    }
    // The figures really moved from the blank workbook's, and enough of them were compared.
    expect(res.units.some((u) => u.result.final > 0)).toBe(true);
    expect(check.checked).toBeGreaterThan(UNITS.length * 20);
    console.log(`[e2e] collect: ${UNITS.length} units × ${HANDS.length} hands, ${check.checked} figures — LibreOffice = engine`);
  });
});
