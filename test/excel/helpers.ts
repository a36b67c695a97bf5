// Shared set-up for the adapter tests: bundled rubrics, a generated workbook in the fake, a live state.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadProgram, type Program } from '../../src/engine';
import { planWorkbook, type PlanOptions, type WorkbookPlan } from '../../src/layout';
import { bindingFromMeta } from '../../src/excel/fromMeta';
import { generate } from '../../src/excel/generate';
import { hostCaps } from '../../src/excel/caps';
import { attachLive, createLiveState, decideChange, handleChange, selectionFallback, type ChangeEvent, type LiveCaps, type LiveState } from '../../src/excel/live';
import { ExcelHost } from './excel-host';
import type { Platform } from './office-lib';

export const RUBRICS = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'rubrics');

export function rubric(file: string): Program {
  const r = loadProgram(readFileSync(join(RUBRICS, file), 'utf8'), file);
  if (!r.program) throw new Error(`${file}: ${r.problems.map((p) => p.message.en).join('; ')}`);
  return r.program;
}

const PLATFORM: Record<Platform, string> = { web: 'OfficeOnline', win32: 'PC', mac: 'Mac', ios: 'iOS' };

/** The adapter's capabilities on a host: requirement set, platform and what the real library has. */
export function capsFor(apiMinor: number, platform: Platform = 'win32'): LiveCaps {
  const host = new ExcelHost({ apiMinor, platform, keepHandlers: true });
  return hostCaps(apiMinor, PLATFORM[platform], host.lib.Excel);
}

export interface Live {
  book: ExcelHost;
  plan: WorkbookPlan;
  state: LiveState;
  outcomes: Awaited<ReturnType<typeof handleChange>>[];
  /** Round trips of the last handled change. */
  lastSyncs: number;
}

/**
 * Generates the sheets for `units` into a fresh simulated workbook (range by range) and turns live scoring
 * on as the pane does: events are decided when they arrive and handled one at a time. `options`: the plan's
 * (e.g. `assessment` for a multi-hand workbook).
 */
export async function liveWorkbook(program: Program, units: { name: string; variant?: string; tags?: string[] }[], apiMinor = 18, platform: Platform = 'win32', options: PlanOptions = {}): Promise<Live> {
  const plan = planWorkbook(program, units, options);
  const book = new ExcelHost({ apiMinor, platform });
  book.addSheet('Sheet1');
  const g = await generate(book.context(), plan, { apiMinor, insertBase64: false });
  if (g.status !== 'done') throw new Error(`generate: ${JSON.stringify(g)}`);
  const state = createLiveState(program, bindingFromMeta(plan.meta, plan, new Map(), g.ids), capsFor(apiMinor, platform));
  const live: Live = { book, plan, state, outcomes: [], lastSyncs: 0 };
  let queue: Promise<unknown> = Promise.resolve();
  const onChanged = (e: unknown) => {
    const decision = decideChange(e as ChangeEvent, state); // when it arrives
    queue = queue.then(async () => {
      const before = book.roundTrips;
      const out = await handleChange(book.context(), e as ChangeEvent, state, decision);
      live.lastSyncs = book.roundTrips - before;
      live.outcomes.push(out);
    });
    return queue;
  };
  const onSelection = (e: unknown) => {
    const ev = selectionFallback(state, e as ChangeEvent);
    return ev ? onChanged(ev) : Promise.resolve();
  };
  await attachLive(book.context(), state, onChanged, onSelection);
  return live;
}

/**
 * The clerk inserts a row above `row` (1-based) and types `text` into its column A: every cell from `row` down moves
 * one row (the host keeps no formulas' references: only the cells move), and the change arrives as RowInserted.
 */
export async function insertRow(book: ExcelHost, sheetName: string, row: number, text: string): Promise<void> {
  const sheet = book.sheet(sheetName)!;
  const moved = new Map<string, (typeof sheet.cells extends Map<string, infer C> ? C : never)>();
  for (const [a, c] of sheet.cells) {
    const m = /^([A-Z]+)(\d+)$/.exec(a)!;
    const r = Number(m[2]);
    moved.set(r >= row ? `${m[1]}${r + 1}` : a, c);
  }
  sheet.cells = moved;
  await book.type(sheetName, `A${row}`, text, { changeType: 'RowInserted', force: true });
}

const text = readFileSync(join(RUBRICS, 'taiqian-2018.yaml'), 'utf8');

/** The bundled 台前 rubric's version, and the next minor version the corrected fixture below carries. */
export const CURRENT_VERSION = /^version: (\d+\.\d+\.\d+)$/m.exec(text)?.[1] ?? '';
if (!CURRENT_VERSION) throw new Error('fixture drifted: taiqian-2018.yaml has no version line');
export const NEXT_VERSION = ((v: number[]) => `${v[0]}.${v[1] + 1}.0`)(CURRENT_VERSION.split('.').map(Number));

/** A corrected next minor version: 乡镇 s1.3 dropped, s1.4 worth 3 points, a new s1.6. */
export function v11Text(): string {
  const removed = `          - id: s1.3
            title: 3.完善工作措施并认真总结，取记一定成效
            text: 撰写工作总结记2分，无内容不记分
            points: 2
            rule: { kind: yesno, question: 是否撰写工作总结 }
`;
  const s14 = `            text: 查会议记录及会议照片，每缺一次扣0.5分
            points: 2`;
  const after15 = `                - { type: flag, name: staff, label: 没有专职工作人员, amount: 1 }
      - id: s2
        title: 二、“一网”推进情况（15分）`;
  for (const [what, s] of [['s1.3', removed], ['s1.4', s14], ['s1.5', after15]]) if (!text.includes(s)) throw new Error(`fixture drifted: ${what}`);
  const t = text
    .replace(`version: ${CURRENT_VERSION}`, `version: ${NEXT_VERSION}`)
    .replace(removed, '')
    .replace(s14, s14.replace('points: 2', 'points: 3'))
    .replace(after15, `                - { type: flag, name: staff, label: 没有专职工作人员, amount: 1 }
          - id: s1.6
            title: 5、建立工作台账
            text: 建立工作台账记1分
            points: 1
            rule: { kind: yesno, question: 是否建立工作台账, yes: 1, no: 0 }
      - id: s2
        title: 二、“一网”推进情况（15分）`);
  return t;
}

export function v11(): Program {
  const r = loadProgram(v11Text(), `taiqian-2018-${NEXT_VERSION}.yaml`);
  if (!r.program) throw new Error(r.problems.map((p) => p.message.en).join('; '));
  return r.program;
}

