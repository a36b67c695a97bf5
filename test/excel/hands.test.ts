// Issue 15 in the add-in, through the real office.js against the simulated host: a multi-hand sheet (自评 beside
// 考核, or several raters) generated range by range; live scoring writes the assessor's 备注 in the 备注 column
// (not into 差异 or 分差, which sit beside 考核得分), never the sheet's own status formula; for raters the explanation
// of their aggregate (each rater's figure); 重新计算 finds every formula as written and overwrites no hand's cell.
import { describe, expect, it } from 'vitest';
import type { AssessmentPolicy } from '../../src/engine';
import { planWorkbook } from '../../src/layout';
import { bindingFromMeta } from '../../src/excel/fromMeta';
import { generate } from '../../src/excel/generate';
import { attachLive, createLiveState, decideChange, handleChange, type ChangeEvent } from '../../src/excel/live';
import { recalcAll } from '../../src/excel/recalc';
import { readEntries } from '../../src/excel/hands';
import { planMigration } from '../../src/taskpane/migrate';
import { colName, parseCell } from '../../src/excel/a1';
import { ExcelHost } from './excel-host';
import { capsFor, rubric } from './helpers';

const taiqian = rubric('taiqian-2018.yaml');
const towns = (taiqian.units ?? []).filter((u) => u.variant === 'town').slice(0, 3).map((u) => ({ name: u.name, variant: u.variant }));

async function multiHandBook(assessment: AssessmentPolicy) {
  const plan = planWorkbook(taiqian, towns, { assessment });
  const book = new ExcelHost({ apiMinor: 14, platform: 'win32' });
  book.addSheet('Sheet1');
  const g = await generate(book.context(), plan, { apiMinor: 14, insertBase64: false });
  if (g.status !== 'done') throw new Error(`generate: ${JSON.stringify(g)}`);
  const state = createLiveState(taiqian, bindingFromMeta(plan.meta, plan, new Map(), g.ids), capsFor(14));
  let queue: Promise<unknown> = Promise.resolve();
  const onChanged = (e: unknown) => {
    const decision = decideChange(e as ChangeEvent, state);
    queue = queue.then(() => handleChange(book.context(), e as ChangeEvent, state, decision));
    return queue;
  };
  await attachLive(book.context(), state, onChanged, () => Promise.resolve());
  return { plan, book, state };
}

const colOf = (a: string) => parseCell(a)!.col;
const rowOf = (a: string) => parseCell(a)!.row;

describe('a multi-hand sheet in the add-in', () => {
  it('自评 + 考核: typing the assessor’s entry writes its 备注 in the 备注 column; 差异 and the self column keep their formulas', async () => {
    const { plan, book, state } = await multiHandBook({ self: true });
    const s = plan.meta.sheets[0];
    const key = 's1.1#yes';
    const assessor = s.hands!.find((h) => h.hand === 'assessor')!.inputs.find((i) => i.key === key)!.address;
    const self = s.hands!.find((h) => h.hand === 'self')!.inputs.find((i) => i.key === key)!.address;
    expect(s.inputs.find((i) => i.key === key)!.address).toBe(assessor); // the binding's inputs are the assessor's
    const binding = state.binding.sheets[0];
    const note = binding.notes.find((n) => n.id === 's1.1')!.address;
    expect(colOf(note)).toBe(colOf(`${s.markerCol}1`) - 2); // 备注, two left of the marker column
    expect(binding.status).toBeUndefined(); // the sheet's 录入状态 formula counts every hand
    const diffAt = `${colName(colOf(s.cells.find((c) => c.id === 's1.1')!.address) + 1)}${rowOf(note) + 1}`;
    const diffFormula = book.cell(s.name, diffAt)?.formula;
    expect(diffFormula).toMatch(/^=IF\(ROUND\(/);
    await book.type(s.name, self, '是');
    await book.type(s.name, assessor, '否');
    expect(String(book.value(s.name, note))).toMatch(/\S/); // the engine's words for the assessor's entry
    expect(book.cell(s.name, diffAt)?.formula).toBe(diffFormula);
    expect(book.value(s.name, self)).toBe('是');
    // 重新计算: every formula where the layout put it, none restored; the hands' entries untouched.
    const r = await recalcAll(book.context(), state);
    expect(r.overwritten).toEqual([]);
    expect(book.value(s.name, self)).toBe('是');
    expect(book.value(s.name, assessor)).toBe('否');
  });

  it('raters: the add-in writes the aggregate’s explanation (each rater’s figure) into the 备注 column and 重新计算 restores nothing', async () => {
    const { plan, book, state } = await multiHandBook({ raters: { count: 3, aggregate: 'trimmedMean', on: 'criterion', spread: 1 } });
    const s = plan.meta.sheets[0];
    const notes = state.binding.sheets[0].notes;
    expect(notes.length).toBe(s.cells.filter((c) => c.kind === 'criterion').length);
    expect(new Set(notes.map((n) => colOf(n.address)))).toEqual(new Set([colOf(`${s.markerCol}1`) - 2])); // 备注, two left of the marker column
    const r2 = s.hands!.find((h) => h.hand === 'rater2')!.inputs.find((i) => i.key === 's1.1#yes')!.address;
    const r1 = s.inputs.find((i) => i.key === 's1.1#yes')!.address;
    await book.type(s.name, r1, '是');
    await book.type(s.name, r2, '否');
    expect(book.value(s.name, notes.find((n) => n.id === 's1.1')!.address)).toBe('评委1 2分、评委2 0分、评委3 0分，去掉一个最高分和一个最低分后平均0分');
    const r = await recalcAll(book.context(), state);
    expect(r.overwritten).toEqual([]);
    expect(book.value(s.name, r2)).toBe('否');
  });

  it('更新评分标准 / 生成打分表 read every hand’s column (one round trip) and carry each to the new version', async () => {
    const { plan, book, state } = await multiHandBook({ self: true });
    const s = plan.meta.sheets[0];
    const at = (hand: string, key: string) => s.hands!.find((h) => h.hand === hand)!.inputs.find((i) => i.key === key)!.address;
    await book.type(s.name, at('self', 's1.1#yes'), '是');
    await book.type(s.name, at('assessor', 's1.1#yes'), '否');
    const before = book.roundTrips;
    const { hands: read } = await readEntries(book.context(), state, plan.meta);
    const hands = read!;
    expect(book.roundTrips - before).toBe(1);
    expect(hands.get(s.name)!.self!['s1.1#yes']).toBe('是');
    expect(hands.get(s.name)!.assessor!['s1.1#yes']).toBe('否');
    const old = state.binding.sheets.map((x) => ({ unit: x.unit, variant: x.variant, tags: x.tags, inputs: state.inputs.get(x.sheet) ?? {}, hands: hands.get(x.sheet) ?? {} }));
    const v11 = { ...taiqian, version: '1.1.0' };
    const m = planMigration(taiqian, v11, old, undefined, plan.meta.hands);
    const e = m.carry.entries.find((x) => x.unit === s.unit)!;
    expect(e.hands!.self!['s1.1#yes']).toBe('是');
    expect(e.inputs['s1.1#yes']).toBe('否');
    const next = planWorkbook(v11, m.carry.entries.map((x) => ({ name: x.unit, variant: x.variant, tags: x.tags, inputs: x.inputs, hands: x.hands })), { hands: plan.meta.hands });
    const ns = next.meta.sheets.find((x) => x.unit === s.unit)!;
    const cell = (hand: string) => {
      const a = parseCell(ns.hands!.find((h) => h.hand === hand)!.inputs.find((i) => i.key === 's1.1#yes')!.address)!;
      return next.sheets.find((x) => x.name === ns.name)!.cells.find((c) => c.row === a.row + 1 && c.col === a.col + 1)?.value;
    };
    expect(cell('self')).toBe('是');
    expect(cell('assessor')).toBe('否');
  });

  it('a plan made with other hands is no guide for 重新计算: its formulas are left out of the binding', () => {
    const multi = planWorkbook(taiqian, towns, { assessment: { self: true } });
    const plain = planWorkbook(taiqian, towns);
    expect(bindingFromMeta(multi.meta, plain).sheets[0].formulas).toEqual([]);
    expect(bindingFromMeta(multi.meta, multi).sheets[0].formulas.length).toBeGreaterThan(0);
  });
});
