/**
 * A filled workbook against the plan the engine makes for the same units and inputs: every computed
 * cell whose formula was changed (overwritten) or whose stored value differs from the engine is
 * flagged with sheet and cell. Formulas are compared after normalising what spreadsheet applications
 * rewrite on save (LibreOffice drops sheet-name quotes and writes FALSE() for FALSE; Excel may add
 * `_xlfn.`, spacing and case differ).
 */
import type { Program } from '../engine';
import { addr, colNumber, planWorkbook, type CellPlan, type SummaryColumn, type WorkbookPlan } from '../layout';
import { wbProblem, type WorkbookProblem } from './messages';
import type { FilledWorkbook, ReadCell } from './read';

/** Canonical text of a formula, for comparison only. */
export function normalizeFormula(f: string): string {
  const s = f.trim().replace(/^=/, '');
  // Split out string literals ("…" with "" escapes); normalise only the code between them.
  return s.split(/("(?:[^"]|"")*")/).map((part, i) => {
    if (i % 2 === 1) return part;
    return part
      .replace(/'((?:[^']|'')+)'!/g, (_m, name: string) => `${name.replace(/''/g, "'")}!`)
      .replace(/_xlfn\.|_xlws\./gi, '')
      .replace(/\s+/g, '')
      .replace(/\$/g, '')
      .toUpperCase()
      .replace(/\b(TRUE|FALSE)\(\)/g, '$1')
      .replace(/(?<![A-Z0-9_.])(\d+\.?\d*(?:E[+-]?\d+)?)/g, (n) => String(Number(n)));
  }).join('');
}

/** Where a reference points, as a token that survives renamed sheets and inserted rows or columns. */
export type Locate = (sheet: string, col: number, row: number) => string;

const REF = /(?<![A-Za-z0-9_.\u00C0-\uFFFF])(?:('(?:[^']|'')+'|[A-Za-z0-9_.\u00C0-\uFFFF]+)!)?\$?([A-Za-z]{1,3})\$?(\d+)(?![A-Za-z0-9_(.])/g;

/**
 * A formula with every cell reference replaced by what it points at (`locate`): two formulas mean the same
 * when they compute the same thing from the same rows, wherever a clerk's edits (renamed sheet, inserted
 * row or column) moved those rows — LibreOffice and Excel adjust the references, so must the comparison.
 */
export function formulaMeaning(f: string, host: string, locate: Locate): string {
  const s = f.trim().replace(/^=/, '');
  return s.split(/("(?:[^"]|"")*")/).map((part, i) => {
    if (i % 2 === 1) return part;
    let lastSheet = host;
    return part.replace(REF, (m, quoted: string | undefined, col: string, row: string, offset: number) => {
      const sheet = quoted !== undefined ? (quoted.startsWith("'") ? quoted.slice(1, -1).replace(/''/g, "'") : quoted) : part[offset - 1] === ':' ? lastSheet : host;
      lastSheet = sheet;
      return `⟦${locate(sheet, colNumber(col), Number(row))}⟧`;
    });
  }).join('');
}

/** Locators for the workbook as read and as planned: unit sheets by unit, rows by marker, columns where generated. */
function locators(read: FilledWorkbook, plan: WorkbookPlan): { actual: Locate; expected: Locate } {
  const readUnits = new Map(read.units.map((u) => [u.sheet, u]));
  const unmarked = new Set(read.units.filter((u) => Object.keys(u.rowMarkers ?? {}).length === 0).map((u) => u.unit));
  const summaryRows = new Map(Object.entries(read.summary).map(([unit, r]) => [r.row, unit]));
  const summary = plan.meta.summary.sheet;
  const actual: Locate = (sheet, col, row) => {
    const u = readUnits.get(sheet);
    if (u) {
      const c = u.colMap ? (u.colMap.cols[col] ?? col - u.colMap.shift) : col;
      return `${u.unit}|${c}|${(!unmarked.has(u.unit) && u.rowMarkers?.[row]) || `#${row}`}`;
    }
    if (sheet === summary) return `$summary|${col}|${summaryRows.get(row) ?? `#${row}`}`;
    return `${sheet}|${col}|#${row}`;
  };
  const planUnits = new Map(plan.meta.sheets.map((sm) => [sm.name, sm]));
  const planRows = new Map<string, Map<number, string>>();
  for (const sh of plan.sheets) {
    const sm = planUnits.get(sh.name);
    if (!sm) continue;
    const mc = colNumber(sm.markerCol);
    planRows.set(sh.name, new Map(sh.cells.filter((c) => c.col === mc && c.row > 1 && typeof c.value === 'string' && c.value).map((c) => [c.row, String(c.value)])));
  }
  const planSummaryRows = new Map(plan.meta.sheets.map((sm) => [sm.summaryRow, sm.unit]));
  const expected: Locate = (sheet, col, row) => {
    const sm = planUnits.get(sheet);
    if (sm) return `${sm.unit}|${col}|${(!unmarked.has(sm.unit) && planRows.get(sheet)?.get(row)) || `#${row}`}`;
    if (sheet === summary) return `$summary|${col}|${planSummaryRows.get(row) ?? `#${row}`}`;
    return `${sheet}|${col}|#${row}`;
  };
  return { actual, expected };
}

const TOTAL_NAMES: Record<string, string> = {
  $base: '基础分', $bonus: '加分', $penalty: '扣分', $adjust: '加减分', $final: '合计', $converted: '折合得分', $veto: '一票否决',
  $baseRaw: '基础分（适用项目）', $naMax: '不涉及项目分值', $status: '录入状态', $errors: '录入错误数', $missing: '未录入数',
};
const SUMMARY_NAMES: Record<SummaryColumn, string> = {
  no: '序号', unit: '单位', variant: '类别', base: '基础分', bonus: '加分', penalty: '扣分', final: '总分', converted: '折合得分',
  rank: '名次', grade: '等次', veto: '一票否决', status: '状态',
};

function show(v: number | string | boolean | null | undefined): string {
  if (v === null || v === undefined || v === '') return '（空）';
  return typeof v === 'number' ? String(Math.round(v * 1e6) / 1e6) : String(v);
}

/** Stored value equals the engine's? A missing result reads as 0 / "" (ExcelJS drops results of 0 and ""). */
export function sameValue(actual: ReadCell['value'], expected: number | string | undefined, tolerance = 1e-9): boolean {
  if (typeof expected === 'number') {
    const a = actual === null || actual === '' ? 0 : typeof actual === 'number' ? actual : Number.NaN;
    return Math.abs(a - expected) <= tolerance * Math.max(1, Math.abs(expected));
  }
  return String(actual ?? '') === String(expected ?? '');
}

export interface VerifyOptions {
  tolerance?: number;
}

export function verifyWorkbook(read: FilledWorkbook, plan: WorkbookPlan, options: VerifyOptions = {}): WorkbookProblem[] {
  const out: WorkbookProblem[] = [];
  const stale: { sheet: string; cell: string; what: string; expected: string; actual: string }[] = [];
  const tol = options.tolerance ?? 1e-9;
  const sheets = new Map(plan.sheets.map((s) => [s.name, new Map(s.cells.map((c) => [addr(c.row, c.col), c]))]));
  const { actual, expected: planned } = locators(read, plan);
  const check = (sheet: string, cell: ReadCell, expected: CellPlan | undefined, what: string, compareFormula: boolean, planSheet = sheet) => {
    if (!expected || expected.formula === undefined) return;
    if (compareFormula) {
      const ok = cell.formula !== undefined
        && normalizeFormula(formulaMeaning(cell.formula, sheet, actual)) === normalizeFormula(formulaMeaning(expected.formula, planSheet, planned));
      if (!ok) {
        out.push(wbProblem('workbook.formulaChanged', {
          sheet, cell: cell.address, what, expected: expected.formula, actual: cell.formula !== undefined ? `=${cell.formula}` : `值 ${show(cell.value)}`,
        }, { sheet, cell: cell.address }));
        return;
      }
    } else if (cell.formula === undefined) {
      out.push(wbProblem('workbook.formulaChanged', { sheet, cell: cell.address, what, expected: expected.formula, actual: `值 ${show(cell.value)}` }, { sheet, cell: cell.address }));
      return;
    }
    // The formula is the engine's (or could not be compared after moved rows) and the file holds another
    // figure: a result saved without recalculation. One line for the workbook, not one per cell.
    if (!sameValue(cell.value, expected.cached, tol)) stale.push({ sheet, cell: cell.address, what, expected: show(expected.cached), actual: show(cell.value) });
  };
  const metaByUnit = new Map(plan.meta.sheets.map((s) => [s.unit, s]));
  for (const u of read.units) {
    const sm = metaByUnit.get(u.unit);
    const cells = sm && sheets.get(sm.name);
    if (!sm || !cells) continue;
    const kinds = new Map(sm.cells.map((c) => [c.id, c]));
    for (const [id, cell] of Object.entries(u.computed)) {
      const m = kinds.get(id);
      if (!m) continue;
      const what = TOTAL_NAMES[id] ?? `${m.kind === 'subtotal' ? '小计' : '得分'} ${id}`;
      // Compared by meaning: moved rows and renamed sheets keep what a formula points at.
      check(u.sheet, cell, cells.get(m.address), what, true, sm.name);
    }
  }
  const sum = sheets.get(plan.meta.summary.sheet);
  if (sum) {
    const cols = Object.entries(plan.meta.summary.cols) as [SummaryColumn, string][];
    for (const sm of plan.meta.sheets) {
      const row = read.summary[sm.unit];
      if (!row) continue;
      // A clerk may sort the summary: rows elsewhere keep their values but their relative references change.
      const inPlace = row.row === sm.summaryRow;
      for (const [c, letter] of cols) {
        const cell = row.cells[c];
        if (!cell) continue;
        check(plan.meta.summary.sheet, cell, sum.get(`${letter}${sm.summaryRow}`), `${sm.unit} ${SUMMARY_NAMES[c]}`, inPlace);
      }
      for (const [key, cell] of Object.entries(row.figures)) {
        const letter = plan.meta.summary.rankCols[key];
        check(plan.meta.summary.sheet, cell, sum.get(`${letter}${sm.summaryRow}`), `${sm.unit} ${key}`, inPlace);
      }
    }
  }
  if (stale.length) out.push(staleFinding(stale));
  return out;
}

/** One line for every stale result: how many, the first few with what the file shows and what it should. */
function staleFinding(stale: { sheet: string; cell: string; what: string; expected: string; actual: string }[]): WorkbookProblem {
  const ex = stale.slice(0, 3);
  const zh = ex.map((x) => `${x.sheet}!${x.cell}（${x.what}）显示${x.actual}、应为${x.expected}`).join('；');
  const en = ex.map((x) => `${x.sheet}!${x.cell} (${x.what}) shows ${x.actual}, should be ${x.expected}`).join('; ');
  const p = wbProblem('workbook.notRecalculated', { count: stale.length, examples: zh }, { sheet: ex[0].sheet, cell: ex[0].cell });
  const en2 = wbProblem('workbook.notRecalculated', { count: stale.length, examples: en });
  return { ...p, message: { zh: p.message.zh, en: en2.message.en }, params: { ...p.params, cells: stale.map((x) => `${x.sheet}!${x.cell}`).join(' ') } };
}

/**
 * What `dafen score` and the task pane's upload say about a filled workbook beyond its inputs: the plan
 * the engine makes from the cells as they are (nothing reinterpreted), and every overwritten formula and
 * stale result found against it. One function, so both report the same findings.
 */
export function workbookFindings(read: FilledWorkbook, program: Program, generator?: string, scoredAt?: string): { plan: WorkbookPlan; problems: WorkbookProblem[] } {
  const meta = read.meta;
  if (!meta) throw new Error('workbookFindings needs a Dafen workbook (read.meta)');
  const byUnit = new Map(read.units.map((u) => [u.unit, u]));
  const plan = planWorkbook(program, meta.sheets.map((s) => ({
    name: s.unit, variant: s.variant, tags: s.tags, inputs: byUnit.get(s.unit)?.inputs ?? {}, remarks: byUnit.get(s.unit)?.remarks, cells: true,
    ...(meta.hands ? { hands: byUnit.get(s.unit)?.hands ?? {} } : {}),
    // Every other hand's 扣分依据 back onto 各评分人扣分依据.
    ...(byUnit.get(s.unit)?.handRemarks ? { handRemarks: byUnit.get(s.unit)!.handRemarks } : {}),
  })), {
    date: meta.options.date, sort: meta.options.sort, rankIncomplete: meta.options.rankIncomplete, generator, scoredAt, settings: read.settings,
    // A multi-hand workbook is checked against the same hands; its id is kept.
    ...(meta.hands ? { hands: meta.hands, ...(meta.assessment ? { assessment: meta.assessment } : {}) } : {}),
    ...(meta.workbookId ? { workbookId: meta.workbookId } : {}),
  });
  return { plan, problems: verifyWorkbook(read, plan) };
}
