/**
 * Split and merge (issue 15) on the 台前 rubric: pieces carry one unit (or all) and a checked identity;
 * returned values land in their unit and input; a differing value is a conflict kept as the master's;
 * a foreign file, a whole workbook, a duplicate, a piece of another master and an altered identity are
 * refused with the reason and the file's name; remarks travel; a piece of another version is carried by
 * criterion. The master plan is the assessor-only one here (hands come from the engine's side).
 */
import { describe, expect, it, beforeAll } from 'vitest';
import type { Raw } from '../../src/engine';
import { planWorkbook, type WorkbookMeta } from '../../src/layout';
import { readFilledWorkbook, writeWorkbook } from '../../src/xlsx';
import { mergeWorkbooks, splitWorkbook, identityProblem, type CollectFile } from '../../src/collect';
import { randomInputs } from '../layout/helpers';
import { editMeta, fill, taiqian, taiqianText } from './helpers';

const program = taiqian();
const UNITS = ['县安监局', '县残联', '城关镇', '孙口镇'];
const listed = UNITS.map((n) => program.units!.find((u) => u.name === n)!);
const filled = randomInputs(program, listed.map((u) => ({ name: u.name, variant: u.variant, tags: [] })), 15);
const inputsOf = (unit: string) => filled.find((f) => f.name === unit)!.inputs;

let masterBytes: Uint8Array;
let masterMeta: WorkbookMeta;
/** The key of 县安监局's 评定得分 (s1.2, a direct score 0–2): held by the master as 1, returned as 2. */
let directKey: string;

beforeAll(async () => {
  const blankPlan = planWorkbook(program, UNITS, { date: '2019-01-15' });
  directKey = blankPlan.meta.sheets[0].inputs.find((i) => i.criterionId === 's1.2')!.key;
  // The master already holds one value of 县安监局 (typed before sending out), and one 扣分依据.
  const plan = planWorkbook(program, UNITS.map((u) => (u === '县安监局' ? { name: u, inputs: { [directKey]: 1 }, remarks: { 's1.2': '现场查看' } } : u)), { date: '2019-01-15' });
  masterBytes = await writeWorkbook(plan);
  masterMeta = plan.meta;
});

describe('split', () => {
  it('by unit: one piece per unit, that unit only, what the master holds for it, and an identity the merge accepts', async () => {
    const r = await splitWorkbook(masterBytes, { by: 'unit', hand: 'assessor', file: 'out/台前打分表.xlsx', issued: '2019-01-10T09:00:00.000Z' });
    expect(r.problems).toBeUndefined();
    expect(r.pieces!.map((p) => p.name)).toEqual(UNITS.map((u) => `台前打分表-考核-${u}.xlsx`));
    for (const p of r.pieces!) {
      const read = await readFilledWorkbook(p.bytes);
      expect(read.meta!.sheets.map((s) => s.unit)).toEqual(p.units);
      expect(read.meta!.piece).toMatchObject({ hand: 'assessor', units: p.units, issued: '2019-01-10T09:00:00.000Z' });
      expect(identityProblem(read.meta!)).toBeNull();
      // The rubric travels with the piece, exactly as the master recorded it.
      expect(read.meta!.rubric).toBe(masterMeta.rubric);
      expect(read.meta!.contentHash).toBe(masterMeta.contentHash);
    }
    const first = await readFilledWorkbook(r.pieces![0].bytes);
    expect(first.units[0].inputs).toEqual({ [directKey]: 1 });
    expect(first.units[0].remarks).toEqual({ 's1.2': '现场查看' });
  });

  it('refuses what it cannot send out, with the reason', async () => {
    const noSelf = await splitWorkbook(masterBytes, { by: 'unit', file: 'm.xlsx' });
    expect(noSelf.problems!.map((p) => p.code)).toEqual(['collect.noSelfHand']);
    expect(noSelf.problems![0].message.zh).toContain('m.xlsx');
    const noRaters = await splitWorkbook(masterBytes, { by: 'rater', file: 'm.xlsx' });
    expect(noRaters.problems!.map((p) => p.code)).toEqual(['collect.noRaters']);
    const piece = (await splitWorkbook(masterBytes, { by: 'unit', hand: 'assessor' })).pieces![0];
    const again = await splitWorkbook(piece.bytes, { by: 'unit', hand: 'assessor', file: piece.name });
    expect(again.problems!.map((p) => p.code)).toEqual(['collect.masterIsPiece']);
    const foreign = await splitWorkbook(new TextEncoder().encode('单位,得分\n'), { by: 'unit', file: 'x.csv' });
    expect(foreign.problems!.map((p) => p.code)).toEqual(['collect.masterUnreadable']);
  });
});

describe('merge', () => {
  let pieces: CollectFile[];
  let result: Awaited<ReturnType<typeof mergeWorkbooks>>;
  let files: CollectFile[];

  beforeAll(async () => {
    const split = await splitWorkbook(masterBytes, { by: 'unit', hand: 'assessor', file: '台前.xlsx' });
    // Each unit fills its piece; 县安监局 returns 2 where the master holds 1, and writes its own 扣分依据 for s2.
    pieces = await Promise.all(split.pieces!.map(async (p) => {
      const unit = p.units[0];
      const inputs = { ...inputsOf(unit), ...(unit === '县安监局' ? { [directKey]: 2 } : {}) };
      const remarks: Record<string, string> = unit === '县残联' ? { 's1.2': '资料不全' } : {};
      return { name: p.name, bytes: await fill(p.bytes, { [unit]: inputs }, { [unit]: remarks }) };
    }));
    const other = await splitWorkbook(await writeWorkbook(planWorkbook(program, ['县城管局'], {})), { by: 'unit', hand: 'assessor', file: '别的.xlsx' });
    const tamperedHand = await editMeta(pieces[1].bytes, (m) => (m.piece.units = ['县城管局']));
    const tamperedId = await editMeta(pieces[2].bytes, (m) => (m.piece.master = 'another'));
    files = [
      ...pieces,
      { name: '重复.xlsx', bytes: pieces[0].bytes },
      { name: '说明.docx', bytes: new TextEncoder().encode('not a workbook') },
      { name: '整表.xlsx', bytes: masterBytes },
      { name: other.pieces![0].name, bytes: other.pieces![0].bytes },
      { name: '改过单位.xlsx', bytes: tamperedHand },
      { name: '改过来源.xlsx', bytes: tamperedId },
    ];
    result = await mergeWorkbooks({ name: '台前.xlsx', bytes: masterBytes }, files);
  });

  it('takes every returned value into its unit and input, and the 扣分依据 too', async () => {
    expect(result.problems).toBeUndefined();
    const read = await readFilledWorkbook(result.bytes!);
    expect(read.problems.filter((p) => p.severity === 'error')).toEqual([]);
    for (const u of UNITS) {
      const expected: Record<string, Raw> = { ...inputsOf(u), ...(u === '县安监局' ? { [directKey]: 1 } : {}) };
      expect(read.units.find((x) => x.unit === u)!.inputs, u).toEqual(expected);
    }
    expect(read.units.find((x) => x.unit === '县残联')!.remarks).toEqual({ 's1.2': '资料不全' });
    expect(read.units.find((x) => x.unit === '县安监局')!.remarks).toEqual({ 's1.2': '现场查看' });
    const taken = UNITS.reduce((n, u) => n + Object.keys(inputsOf(u)).filter((k) => !(u === '县安监局' && k === directKey)).length, 0);
    expect(result.report!.taken).toBe(taken);
    expect(result.report!.remarks).toBe(1);
  });

  it('lists a differing value as a conflict with both values and keeps the master’s', () => {
    expect(result.report!.conflicts).toEqual([
      { file: '台前-考核-县安监局.xlsx', unit: '县安监局', hand: 'assessor', key: directKey, label: expect.any(String), master: 1, piece: 2, kept: 'master' },
    ]);
    const f = result.report!.files.find((x) => x.file === '台前-考核-县安监局.xlsx')!;
    expect(f.same).toBe(1); // the 扣分依据 it was sent out with, returned unchanged
  });

  it('refuses the duplicate, the foreign file, a whole workbook, another master’s piece and altered identities, each with its name', () => {
    const refused = Object.fromEntries(result.report!.files.filter((f) => f.status === 'refused').map((f) => [f.file, f.refusal!.code]));
    expect(refused).toEqual({
      '重复.xlsx': 'collect.duplicate',
      '说明.docx': 'collect.notOurs',
      '整表.xlsx': 'collect.notPiece',
      '别的-考核-县城管局.xlsx': 'collect.otherMaster',
      '改过单位.xlsx': 'collect.tampered',
      '改过来源.xlsx': 'collect.tampered',
    });
    for (const f of result.report!.files.filter((x) => x.status === 'refused')) {
      expect(f.refusal!.message.zh).toContain(f.file);
      expect(f.refusal!.message.en).toContain(f.file);
    }
    expect(result.report!.refused).toBe(6);
  });

  it('with pieceWins the returned value replaces the master’s, and the conflict says so', async () => {
    const r = await mergeWorkbooks({ name: '台前.xlsx', bytes: masterBytes }, pieces, { pieceWins: true });
    expect(r.report!.conflicts.map((c) => [c.master, c.piece, c.kept])).toEqual([[1, 2, 'piece']]);
    const read = await readFilledWorkbook(r.bytes!);
    expect(read.units.find((x) => x.unit === '县安监局')!.inputs[directKey]).toBe(2);
  });

  it('a second piece for the same unit and hand (split twice) is refused, naming the first', async () => {
    const again = await splitWorkbook(masterBytes, { by: 'unit', hand: 'assessor', file: '台前.xlsx' });
    const r = await mergeWorkbooks({ name: '台前.xlsx', bytes: masterBytes }, [pieces[1], { name: '再发.xlsx', bytes: again.pieces![1].bytes }], { write: false });
    const f = r.report!.files[1];
    expect(f.refusal!.code).toBe('collect.sameSlot');
    expect(f.refusal!.message.zh).toContain(pieces[1].name);
  });

  it('carries a piece filled in against another version by criterion; what cannot be carried is kept on 未匹配录入', async () => {
    // Version 1.1.0 asks 县直 s1.2 as a yes/no question instead of a score 0–2: a piece returned against 1.0.0 into a 1.1.0 master.
    const text = taiqianText().replace('version: 1.0.0', 'version: 1.1.0').replace('rule: { kind: direct, label: 评定得分, min: 0, max: 2 }', 'rule: { kind: yesno, question: 是否达到要求 }');
    const v2 = taiqian(text);
    expect(v2.version).toBe('1.1.0');
    // The master carried to 1.1.0 keeps its id (as dafen update does), so the pieces sent out before still belong to it.
    const master2 = await writeWorkbook(planWorkbook(v2, UNITS, { date: '2019-01-15', workbookId: masterMeta.workbookId }));
    const r = await mergeWorkbooks({ name: '台前-新版.xlsx', bytes: master2 }, [pieces[0]]);
    const f = r.report!.files[0];
    expect(f.status).toBe('taken');
    expect(f.warnings.map((w) => w.code)).toContain('collect.otherVersion');
    const read = await readFilledWorkbook(r.bytes!);
    const got = read.units.find((x) => x.unit === '县安监局')!.inputs;
    const sent = { ...inputsOf('县安监局'), [directKey]: 2 };
    // Everything but the changed input is carried to the same key; that one is kept aside, with its value.
    expect(got).toEqual(Object.fromEntries(Object.entries(sent).filter(([k]) => k !== directKey)));
    expect(r.report!.unmatched).toEqual([expect.objectContaining({ unit: '县安监局', key: directKey, value: 2, reason: 'inputRemoved' })]);
    expect(read.unmatched!.some((row) => row.includes(directKey) && row.includes(2))).toBe(true);
  });
});

describe('本表设定 through split and merge', () => {
  it('pieces score with the master’s changed setting, and the merged master keeps it', async () => {
    // The clerk set 第1名得分 of the 县直 办件量 rank table (s2.3.3) to 15 on the master's 本表设定 sheet.
    const key = 'county/s2.3.3@step.first';
    const plan = planWorkbook(program, UNITS, { date: '2019-01-15', settings: { [key]: 15 } });
    const bytes = await writeWorkbook(plan);
    expect((await readFilledWorkbook(bytes)).settings).toEqual(expect.objectContaining({ [key]: 15 }));
    const split = await splitWorkbook(bytes, { by: 'unit', hand: 'assessor', file: '台前.xlsx' });
    const piece = await readFilledWorkbook(split.pieces![0].bytes);
    expect(piece.settings?.[key]).toBe(15);
    const returned = await Promise.all(split.pieces!.map(async (p) => ({ name: p.name, bytes: await fill(p.bytes, { [p.units[0]]: inputsOf(p.units[0]) }) })));
    const r = await mergeWorkbooks({ name: '台前.xlsx', bytes }, returned);
    expect(r.problems).toBeUndefined();
    const merged = await readFilledWorkbook(r.bytes!);
    expect(merged.settings?.[key]).toBe(15);
    // Before the fix the new master was planned without the clerk's values: back to the rubric's 20.
    expect(merged.settings?.[key]).not.toBe(20);
  });
});
