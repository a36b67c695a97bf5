// Issue 15 (continued): every hand live in Excel, through the real office.js against the simulated host. On a
// multi-hand sheet (自评 beside 考核, or raters 评委1…评委N) an entry typed in ANY hand's column is read (in the same
// round trip as today's), scored as `dafen score` scores it (engine scoreHands) and, when rejected, highlighted in its
// own column with a message saying whose column it is; 重新计算 does the same for every sheet.
import { describe, expect, it } from 'vitest';
import type { AssessmentPolicy } from '../../src/engine';
import { planWorkbook } from '../../src/layout';
import { bindingFromMeta } from '../../src/excel/fromMeta';
import { decideChange } from '../../src/excel/live';
import { recalcAll } from '../../src/excel/recalc';
import { BAD_INPUT_FILL, BAD_INPUT_FONT } from '../../src/excel/writes';
import { insertRow, liveWorkbook, rubric } from './helpers';

const taiqian = rubric('taiqian-2018.yaml');
const towns = (taiqian.units ?? []).filter((u) => u.variant === 'town').slice(0, 3).map((u) => ({ name: u.name, variant: u.variant }));
const SELF: AssessmentPolicy = { self: true };
const RATERS: AssessmentPolicy = { raters: { count: 3, aggregate: 'trimmedMean', on: 'criterion', spread: 2 } };
const KEY = 's1.1#yes';
/** What the engine says of 也许 typed into a 是/否 cell (the first hand's message today, unlabelled). */
const BAD = '也许';

const book = (assessment: AssessmentPolicy | undefined, apiMinor = 14) => liveWorkbook(taiqian, towns, apiMinor, 'win32', assessment ? { assessment } : {});

/** A hand's input cell of KEY on sheet `i`, and the 备注 cell of its criterion. */
function cells(live: Awaited<ReturnType<typeof book>>, i: number, hand?: string) {
  const s = live.plan.meta.sheets[i];
  const address = hand ? s.hands!.find((h) => h.hand === hand)!.inputs.find((x) => x.key === KEY)!.address : s.inputs.find((x) => x.key === KEY)!.address;
  const note = live.state.binding.sheets[i].notes.find((n) => n.id === 's1.1')!.address;
  return { sheet: s.name, address, note };
}

/** The message the default workbook shows today for BAD in the assessor's column (its 备注 and highlight). */
async function todaysMessage(): Promise<string> {
  const live = await book(undefined);
  const c = cells(live, 0);
  await live.book.type(c.sheet, c.address, BAD);
  const bad = live.outcomes.at(-1)!.writes![0].bad;
  expect(bad).toHaveLength(1);
  return bad[0].text;
}

describe('every hand live in Excel (issue 15, continued)', () => {
  it('the default one-hand workbook’s binding has no hands (unchanged)', () => {
    const plan = planWorkbook(taiqian, towns);
    const b = bindingFromMeta(plan.meta, plan);
    expect('hands' in b).toBe(false);
    expect(b.sheets.every((s) => !('hands' in s))).toBe(true);
    const multi = bindingFromMeta(planWorkbook(taiqian, towns, { assessment: RATERS }).meta);
    expect(multi.hands).toEqual(['rater1', 'rater2', 'rater3']);
    expect(multi.sheets[0].hands!.map((h) => [h.hand, h.inputs.length])).toEqual([['rater1', 30], ['rater2', 30], ['rater3', 30]]);
  });

  it('a bad value typed into the 自评 column is highlighted with its message (自评：…) and cleared when corrected', async () => {
    const message = await todaysMessage();
    const live = await book(SELF);
    const self = cells(live, 1, 'self');
    const assessor = cells(live, 1, 'assessor');
    const fill = live.book.cell(self.sheet, self.address)!.fill;
    expect(fill).toBe('#FFF2CC');
    await live.book.type(self.sheet, self.address, BAD);
    const out = live.outcomes.at(-1)!;
    expect(out.decision.act).toBe('score');
    expect(live.state.handInputs.get(self.sheet)!.self![KEY]).toBe(BAD);
    expect(out.writes![0].bad).toEqual([{ address: self.address, text: `自评：${message}` }]);
    const cell = live.book.cell(self.sheet, self.address)!;
    expect(cell.value).toBe(BAD); // the typed value stays
    expect(cell.fill).toBe(BAD_INPUT_FILL);
    expect(cell.fontColor).toBe(BAD_INPUT_FONT);
    expect(live.book.cell(assessor.sheet, assessor.address)!.fill).toBe(fill); // the assessor's cell is fine
    // 备注 is the assessor's (the unit's points); the 自评 column's problem is said after it, with whose column it is.
    const note = String(live.book.value(self.sheet, self.note));
    expect(note.split('\n').at(-1)).toBe(`⚠ 自评：${message}`);
    expect(out.result!.problems.map((p) => p.path)).toEqual([`self:${KEY}`]);
    await live.book.type(self.sheet, self.address, '是');
    expect(live.book.cell(self.sheet, self.address)!.fill).toBe(fill);
    expect(live.book.cell(self.sheet, self.address)!.fontColor).toBe('#000000');
    expect(String(live.book.value(self.sheet, self.note))).not.toContain('⚠');
    expect(live.outcomes.at(-1)!.result!.problems).toEqual([]);
  });

  it('3 raters: a bad value in 评委2’s column is highlighted (评委2：…) and cleared; 备注 carries the aggregate’s explanation', async () => {
    const message = await todaysMessage();
    const live = await book(RATERS);
    const r1 = cells(live, 0, 'rater1'), r2 = cells(live, 0, 'rater2'), r3 = cells(live, 0, 'rater3');
    const fill = live.book.cell(r2.sheet, r2.address)!.fill;
    await live.book.type(r1.sheet, r1.address, '是');
    expect(live.book.value(r1.sheet, r1.note)).toBe('评委1 2分、评委2 0分、评委3 0分，去掉一个最高分和一个最低分后平均0分');
    await live.book.type(r2.sheet, r2.address, BAD);
    expect(live.outcomes.at(-1)!.writes![0].bad).toEqual([{ address: r2.address, text: `评委2：${message}` }]);
    expect(live.book.cell(r2.sheet, r2.address)!.fill).toBe(BAD_INPUT_FILL);
    expect(live.book.cell(r1.sheet, r1.address)!.fill).toBe(fill);
    expect(live.book.cell(r3.sheet, r3.address)!.fill).toBe(fill);
    // The unit's aggregate rests on 评委2's stand-in: 备注 says the entry is rejected, in whose column.
    expect(live.book.value(r2.sheet, r2.note)).toBe(`⚠ 录入有误：评委2：${message}。该格按0计；请改正`);
    await live.book.type(r2.sheet, r2.address, '是');
    await live.book.type(r3.sheet, r3.address, '否');
    expect(live.book.cell(r2.sheet, r2.address)!.fill).toBe(fill);
    expect(live.book.value(r2.sheet, r2.note)).toBe('评委1 2分、评委2 2分、评委3 0分，去掉一个最高分和一个最低分后平均2分');
    // Subtotal and total 备注 keep the layout's rule text.
    const s = live.plan.meta.sheets[0];
    const subNote = live.book.value(s.name, `${String.fromCharCode(s.markerCol.charCodeAt(0) - 2)}${/\d+$/.exec(s.cells.find((c) => c.id === 's1')!.address)![0]}`);
    expect(subNote).toBe('超过10分按10分计，最低0分');
  });

  for (const apiMinor of [14, 8]) {
    it(`an edit in 评委3’s column triggers scoring in as many round trips as an assessor’s edit today (ExcelApi 1.${apiMinor})`, async () => {
      const plain = await book(undefined, apiMinor);
      const a = cells(plain, 0);
      await plain.book.type(a.sheet, a.address, BAD);
      const today = plain.lastSyncs;
      const live = await book(RATERS, apiMinor);
      const r3 = cells(live, 0, 'rater3');
      const before = live.book.roundTrips;
      await live.book.type(r3.sheet, r3.address, BAD);
      expect(live.outcomes.at(-1)!.decision.act).toBe('score');
      expect(live.book.roundTrips - before).toBe(today);
      // 1.14: the event's details and the cache, no read, one write; 1.8: one read (every hand's column) and one write.
      expect(today).toBe(apiMinor >= 9 ? 1 : 2);
      expect(live.state.handInputs.get(r3.sheet)!.rater3![KEY]).toBe(BAD);
      expect(live.book.cell(r3.sheet, r3.address)!.fill).toBe(BAD_INPUT_FILL);
    });
  }

  it('a co-author’s edit in another hand’s column refreshes; a computed cell beside the columns is no input', async () => {
    const live = await book(RATERS);
    const r3 = cells(live, 0, 'rater3');
    const id = live.book.sheet(r3.sheet)!.id;
    expect(decideChange({ address: r3.address, worksheetId: id, source: 'Remote' }, live.state).act).toBe('refresh');
    const score = live.plan.meta.sheets[0].hands!.find((h) => h.hand === 'rater3')!.cells.find((c) => c.id === 's1.1')!.address;
    expect(decideChange({ address: score, worksheetId: id, source: 'Local' }, live.state)).toEqual({ act: 'ignore', reason: 'no-input' });
  });

  it('rows the clerk inserted: an entry in 评委2’s column on the moved row is read by its marker and highlighted there', async () => {
    const live = await book(RATERS);
    const s = live.plan.meta.sheets[0];
    const r2 = cells(live, 0, 'rater2');
    const row = Number(/\d+$/.exec(r2.address)![0]);
    await insertRow(live.book, s.name, row, '（插入的说明行）');
    const now = r2.address.replace(/\d+$/, String(row + 1));
    await live.book.type(s.name, now, BAD);
    expect(live.state.handInputs.get(s.name)!.rater2![KEY]).toBe(BAD);
    expect(live.state.binding.sheets[0].hands!.find((h) => h.hand === 'rater2')!.inputs.find((i) => i.key === KEY)!.address).toBe(now);
    expect(live.book.cell(s.name, now)!.fill).toBe(BAD_INPUT_FILL);
    expect(live.book.value(s.name, `A${row}`)).toBe('（插入的说明行）');
  });

  it('after 生成打分表 (inputs seeded from the plan, the first hand’s only) an edit reads the other sheets’ hands in its one read', async () => {
    const live = await book(RATERS);
    live.state.handInputs.clear(); // as the pane's attachGenerated leaves it
    const r2 = cells(live, 0, 'rater2');
    await live.book.type(r2.sheet, r2.address, BAD);
    expect(live.lastSyncs).toBe(2); // one read (this sheet and the others' hands), one write
    expect([...live.state.handInputs.keys()].sort()).toEqual(live.plan.meta.sheets.map((x) => x.name).sort());
    expect(live.book.cell(r2.sheet, r2.address)!.fill).toBe(BAD_INPUT_FILL);
  });

  it('重新计算 highlights a bad 自评 entry typed while the pane was closed, in the one read round trip', async () => {
    const message = await todaysMessage();
    const live = await book(SELF);
    const self = cells(live, 2, 'self');
    live.book.setCell(self.sheet, self.address, { value: BAD }); // no event: the pane was closed
    const before = live.book.roundTrips;
    const rep = await recalcAll(live.book.context(), live.state);
    expect(live.book.roundTrips - before).toBe(rep.syncs);
    expect(rep.syncs).toBe(2); // one read (every sheet, every hand), one write
    expect(live.book.cell(self.sheet, self.address)!.fill).toBe(BAD_INPUT_FILL);
    expect(rep.writes.find((w) => w.sheet === self.sheet)!.bad).toEqual([{ address: self.address, text: `自评：${message}` }]);
    expect(rep.writes.filter((w) => w.bad.length).map((w) => w.sheet)).toEqual([self.sheet]);
    expect(String(live.book.value(self.sheet, self.note)).split('\n').at(-1)).toBe(`⚠ 自评：${message}`);
    expect(rep.overwritten).toEqual([]);
    expect(live.book.value(self.sheet, self.address)).toBe(BAD);
  });
});
