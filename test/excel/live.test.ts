// Live scoring through the adapter: a clerk types into an input cell of a generated sheet; the handler
// reads the sheet (1 round trip), scores with the engine and writes 备注, the status and the input
// highlight/note back (1 more). The typed value stays as typed.
import { describe, expect, it } from 'vitest';
import type { NodeResult } from '../../src/engine';
import { decideChange, NOTE_PREFIX } from '../../src/excel/live';
import { BAD_INPUT_FILL, STATUS_LABEL } from '../../src/excel/writes';
import { noteAddressOf } from '../../src/excel/fromMeta';
import { liveWorkbook, rubric } from './helpers';

const taiqian = rubric('taiqian-2018.yaml');
const towns = (taiqian.units ?? []).filter((u) => u.variant === 'town').map((u) => ({ name: u.name, variant: u.variant }));

function inputAt(live: Awaited<ReturnType<typeof liveWorkbook>>, sheetIndex: number, key: string) {
  const s = live.plan.meta.sheets[sheetIndex];
  const i = s.inputs.find((x) => x.key === key);
  if (!i) throw new Error(`no input ${key} on ${s.name}: ${s.inputs.map((x) => x.key).join(', ')}`);
  const score = s.cells.find((c) => c.id === i.criterionId)!;
  return { sheet: s.name, address: i.address, note: noteAddressOf(score.address), status: noteAddressOf(s.cells.find((c) => c.id === '$final')!.address) };
}

describe('live scoring (ExcelApi 1.18: notes)', () => {
  it('scores one change in ≤2 round trips and writes 备注 and the status', async () => {
    const live = await liveWorkbook(taiqian, towns, 18);
    const meetings = inputAt(live, 0, 's1.4#meetings');
    await live.book.type(meetings.sheet, meetings.address, 3);
    expect(live.lastSyncs).toBeLessThanOrEqual(2);
    expect(live.outcomes.at(-1)!.decision.act).toBe('score');
    const note = String(live.book.value(meetings.sheet, meetings.note));
    expect(note).toMatch(/1\.5/); // 4 required, 3 held: one short, 0.5 off 2 points
    expect(live.book.value(meetings.sheet, meetings.address)).toBe(3); // typed value untouched
    const status = String(live.book.value(meetings.sheet, meetings.status));
    expect(status).toContain(STATUS_LABEL);
    expect(status).toMatch(/未完成 \d+ 项/);
  });

  it('flags a bad input with a highlight and a note, keeps the typed text, and clears both once fixed', async () => {
    const live = await liveWorkbook(taiqian, towns.slice(0, 3), 18);
    const yes = inputAt(live, 1, 's1.1#yes');
    await live.book.type(yes.sheet, yes.address, '也许');
    expect(live.lastSyncs).toBeLessThanOrEqual(2);
    const cell = live.book.cell(yes.sheet, yes.address)!;
    expect(cell.value).toBe('也许');
    expect(cell.fill).toBe(BAD_INPUT_FILL);
    const note = live.book.sheet(yes.sheet)!.notes.get(yes.address)!;
    expect(note.startsWith(NOTE_PREFIX)).toBe(true);
    expect(note).toContain('是');
    expect(String(live.book.value(yes.sheet, yes.status))).toContain('有 1 处错误');
    expect(String(live.book.value(yes.sheet, yes.note))).toContain('⚠');

    await live.book.type(yes.sheet, yes.address, '是');
    const fixed = live.book.cell(yes.sheet, yes.address)!;
    expect(fixed.fill).toBe('#FFF2CC');
    expect(live.book.sheet(yes.sheet)!.notes.has(yes.address)).toBe(false);
    expect(String(live.book.value(yes.sheet, yes.note))).not.toContain('⚠');
  });

  it('never removes a note the clerk wrote', async () => {
    const live = await liveWorkbook(taiqian, towns.slice(0, 2), 18);
    const yes = inputAt(live, 0, 's1.2#yes');
    live.book.sheet(yes.sheet)!.notes.set(yes.address, '已核对原件');
    await live.book.type(yes.sheet, yes.address, '是');
    expect(live.book.sheet(yes.sheet)!.notes.get(yes.address)).toBe('已核对原件');
  });

  it('completes the status when every input is filled', async () => {
    const live = await liveWorkbook(taiqian, towns.slice(0, 2), 18);
    const s = live.plan.meta.sheets[0];
    const unit = live.book.sheet(s.name)!;
    for (const i of s.inputs) {
      const spec = i.key.endsWith('#yes') || /#(leader|staff)$/.test(i.key) ? '否' : i.key.startsWith('veto#') ? '否' : 1;
      live.book.setCell(s.name, i.address, { value: spec });
    }
    const last = s.inputs.find((i) => !i.key.startsWith('veto#'))!;
    await live.book.type(s.name, last.address, live.book.value(s.name, last.address));
    const status = String(live.book.value(s.name, noteAddressOf(s.cells.find((c) => c.id === '$final')!.address)));
    const errors = live.outcomes.at(-1)!.result!.problems.filter((p) => p.severity === 'error');
    expect(errors.map((p) => p.message.zh)).toEqual([]);
    expect(status).toContain('完成');
    expect(status).not.toContain('未完成');
    expect(unit.protected).toBe(true); // protection put back after the writes
  });
});

describe('what the handler ignores', () => {
  it('remote co-authors, its own writes (triggerSource), non-input cells and other sheets — without any round trip', async () => {
    const live = await liveWorkbook(taiqian, towns.slice(0, 2), 14);
    const yes = inputAt(live, 0, 's1.1#yes');
    const before = live.book.syncs;
    await live.book.type(yes.sheet, yes.address, '是', { source: 'Remote' });
    await live.book.type(yes.sheet, yes.address, '是', { triggerSource: 'ThisLocalAddin' });
    await live.book.type(yes.sheet, 'A1', '改了标题');
    await live.book.type('Sheet1', 'B2', 5);
    expect(live.outcomes.map((o) => o.decision)).toEqual([
      { act: 'ignore', reason: 'remote' },
      { act: 'ignore', reason: 'own' },
      { act: 'ignore', reason: 'no-input' },
      { act: 'ignore', reason: 'not-dafen' },
    ]);
    expect(live.book.syncs).toBe(before);
  });

  it('falls back to a flag around its own batches where triggerSource is missing (ExcelApi < 1.14)', async () => {
    const live = await liveWorkbook(taiqian, towns.slice(0, 2), 12);
    live.state.ownWrites = 1; // our batch in flight
    const yes = inputAt(live, 0, 's1.1#yes');
    const d = decideChange({ address: yes.address, worksheetId: live.book.sheet(yes.sheet)!.id, source: 'Local' }, live.state);
    expect(d).toEqual({ act: 'ignore', reason: 'own' });
    live.state.ownWrites = 0;
    await live.book.type(yes.sheet, yes.address, '否');
    expect(live.outcomes.at(-1)!.decision.act).toBe('score');
    expect(live.lastSyncs).toBeLessThanOrEqual(2);
    // Without notes (ExcelApi < 1.18) a bad input is still highlighted and explained in 备注.
    await live.book.type(yes.sheet, yes.address, '也许');
    expect(live.book.cell(yes.sheet, yes.address)!.fill).toBe(BAD_INPUT_FILL);
    expect(String(live.book.value(yes.sheet, yes.note))).toContain('⚠');
  });
});

describe('rank criteria', () => {
  it('rewrites the other units\' 备注 when a change moves a rank figure, still in 2 round trips', async () => {
    const county = (taiqian.units ?? []).filter((u) => u.variant === 'county').slice(0, 4).map((u) => ({ name: u.name, variant: u.variant }));
    const live = await liveWorkbook(taiqian, county, 18);
    const s0 = live.plan.meta.sheets[0];
    const rankInput = s0.inputs.find((i) => {
      const node = (function find(ns: typeof taiqian.variants[0]['sections']): boolean {
        return ns.some((n) => (n.id === i.criterionId && n.rule?.kind === 'rank') || (n.children ? find(n.children) : false));
      })(taiqian.variants.find((v) => v.id === 'county')!.sections);
      return node;
    });
    expect(rankInput).toBeDefined();
    await live.book.type(s0.name, rankInput!.address, 500);
    expect(live.lastSyncs).toBeLessThanOrEqual(2);
    const out = live.outcomes.at(-1)!;
    expect(out.writes!.map((w) => w.sheet)).toEqual(live.plan.meta.sheets.map((s) => s.name));
  });
});

describe('rows the clerk inserted', () => {
  it('follows the marker column: the input moved down a row is still read by its key, 备注 lands on its row', async () => {
    const live = await liveWorkbook(taiqian, towns.slice(0, 2), 18);
    const s = live.plan.meta.sheets[0];
    const sheet = live.book.sheet(s.name)!;
    const meetings = s.inputs.find((i) => i.key === 's1.4#meetings')!;
    const row = Number(/\d+$/.exec(meetings.address)![0]);
    // Insert a row above it: every cell from that row down moves one row lower.
    const moved = new Map<string, (typeof sheet.cells extends Map<string, infer C> ? C : never)>();
    for (const [a, c] of sheet.cells) {
      const m = /^([A-Z]+)(\d+)$/.exec(a)!;
      const r = Number(m[2]);
      moved.set(r >= row ? `${m[1]}${r + 1}` : a, c);
    }
    sheet.cells = moved;
    await live.book.type(s.name, `A${row}`, '（插入的说明行）', { changeType: 'RowInserted' });
    const newAddress = meetings.address.replace(/\d+$/, String(row + 1));
    await live.book.type(s.name, newAddress, 2);
    const out = live.outcomes.at(-1)!;
    expect(out.decision.act).toBe('score');
    expect(live.lastSyncs).toBeLessThanOrEqual(2);
    // 4 required, 2 held: two short, 1 point off 2.
    const flat = (ns: NodeResult[]): NodeResult[] => ns.flatMap((n) => [n, ...flat(n.children)]);
    const crit = flat(out.result!.nodes).find((n) => n.id === 's1.4')!;
    expect(crit.points).toBe(1);
    const noteCol = /^[A-Z]+/.exec(noteAddressOf(s.cells.find((c) => c.id === 's1.4')!.address))![0];
    expect(String(live.book.value(s.name, `${noteCol}${row + 1}`))).toBe(crit.explanation.zh);
    expect(live.book.value(s.name, `${noteCol}${row}`)).toBe(''); // nothing written into the inserted row
    expect(live.book.value(s.name, `A${row}`)).toBe('（插入的说明行）');
  });
});
