/**
 * planWorkbook(program, units, options) → WorkbookPlan: the 汇总 sheet, one 打分表 per unit, and the
 * hidden metadata sheet. Every computed cell holds the engine's formula and the engine's value for
 * the inputs given (blank at generation), so the plan is right in any viewer, recalculating or not.
 */
import {
  compileSheet, sheetShape, findVariant, normalizeInputs, resolveUnit, scoreCohort, toCell,
  assessmentProblem, firstScoringHand, handLabel, handsFor, isDefaultHands, isHandId, scoreHands, scoringHands,
  type AssessmentPolicy, type HandId, type HandsUnitResult, type InputsIn, type Program, type Raw, type SheetModel, type UnitResult, type Variant,
} from '../engine';
import { HAND_REMARKS_SHEET, handRemarkRows, handRemarksSheetPlan, type HandRemarks } from './hand-remarks';
import { canonicalJson, contentHash } from './hash';
import { META_SHEET, metaSheet } from './meta';
import { absAddr, sheetName, sheetRef } from './names';
import type { SheetMeta, SheetPlan, SortOrder, WorkbookMeta, WorkbookPlan } from './plan';
import { SETTINGS_NAME, applySettings, planSettings, settingRef } from './settings';
import { makeStyles } from './styles';
import { SUMMARY_FIRST_ROW, SUMMARY_NAME, cohortColumnsFor, planSummary, rankColumnsFor, summaryColumns, type SummaryEntry } from './summary';
import { instantiate, planUnitSheet, type UnitSheetOut } from './unit-sheet';
import { rankKeys } from './values';
import { shareValidationPrompts } from './validation';

/** A unit to lay out: a listed name, or a name with its variant, its tags (unlisted units) and entered values. */
export type UnitIn = string | {
  name: string; variant?: string; tags?: string[]; inputs?: InputsIn; remarks?: Record<string, string>; cells?: boolean;
  /** Every hand's entries (multi-hand workbooks); when given it wins over `inputs` (the first scoring hand's). */
  hands?: Partial<Record<HandId, InputsIn>>;
  /**
   * Every hand's 扣分依据/说明, by hand then criterion id: the 扣分依据 column holds the first scoring hand's (with
   * `remarks`, this winning for a criterion in both), the 各评分人扣分依据 sheet every other hand's (layout/hand-remarks.ts).
   */
  handRemarks?: HandRemarks;
};

export interface PlanOptions {
  /** `YYYY-MM-DD`, printed on every sheet as 2019年1月15日; blank when absent (filled in by hand). */
  date?: string;
  /** Order of the unit sheets and the summary rows: the program's unit list (default), by variant, or by name (pinyin). */
  sort?: SortOrder;
  /** sha256 of the rubric's canonical JSON; computed from `program` when absent. */
  contentHash?: string;
  /** Recorded in the metadata, e.g. `dafen 0.1.0`. */
  generator?: string;
  /** Write the engine's explanations into 备注 (default: when any inputs are given). */
  explain?: boolean;
  /** When explanations are written (`2026-12-01 22:58`): 备注 that no formula keeps current say they are as of then. */
  scoredAt?: string;
  /** 汇总: rank units whose sheet is not complete too (default: only complete units get a 名次; the others show their status). */
  rankIncomplete?: boolean;
  /** Who enters values, in column order (default: the program's policies.assessment, else ['assessor']). */
  hands?: HandId[];
  /** Overrides the program's policies.assessment (self-assessment, raters); `hands` follows from it unless given. */
  assessment?: AssessmentPolicy;
  /** The workbook's id (WorkbookMeta.workbookId); a fresh random one when absent. `dafen update` passes the old one on. */
  workbookId?: string;
  /**
   * The 本表设定 values the clerk had (cell contents by setting key, as read from a workbook or carried by an
   * update): written back as they were and scored as the engine reads them (layout/settings.ts). Absent: the rubric's.
   */
  settings?: Readonly<Record<string, Raw>>;
  /** Called after each unit sheet is planned (for progress lines on long runs). */
  onSheet?(done: number, total: number, unit: string): void;
}

export class PlanError extends Error {}

/** A random id for a new workbook (Web Crypto: Node ≥ 19 and every browser the pane supports). */
export function newWorkbookId(): string {
  return globalThis.crypto.randomUUID();
}

/**
 * Inputs as they go into cells: typed values become what a spreadsheet stores when a clerk types them
 * (inputs.ts: toCell — `１２`, `1,200` → numbers, ` 是 ` → 是), and are then read exactly as the sheet's
 * formulas read them. Cell contents read from a workbook (`cells`) go back as they are: nothing a clerk
 * entered is reinterpreted, a rejected value stays visible (and counted as an error) on the sheet.
 */
export function cellInputs(sheet: SheetModel, inputs: InputsIn, cells = false): Map<string, Raw> {
  const { values } = normalizeInputs(sheet, inputs);
  const out = new Map<string, Raw>();
  for (const spec of [...sheet.inputs, ...sheet.vetoInputs]) {
    const raw = values.get(spec.key);
    if (raw === undefined || raw === null || raw === '') continue;
    const cell = cells ? raw : toCell(spec, raw).cell;
    if (cell !== null && cell !== undefined) out.set(spec.key, cell);
  }
  return out;
}

interface Resolved {
  name: string;
  variant: string;
  tags: string[];
  inputs: InputsIn;
  /** 扣分依据/说明 by criterion id, as the assessor (the first scoring hand) wrote them. */
  remarks: Record<string, string>;
  /** Every other hand's (on 各评分人扣分依据). */
  handRemarks: HandRemarks;
  cells: boolean;
  order: number;
  /** Every hand's entries (multi-hand workbooks). */
  hands: Partial<Record<HandId, InputsIn>>;
}

function resolveUnits(program: Program, units: UnitIn[], sort: SortOrder, first: HandId = 'assessor'): Resolved[] {
  const seen = new Set<string>();
  const listed = new Map((program.units ?? []).map((u, i) => [u.name, i]));
  const out = units.map((u, i): Resolved => {
    const spec = typeof u === 'string' ? { name: u } : u;
    const r = resolveUnit(program, spec.name, spec.variant, 'tags' in spec ? spec.tags : undefined);
    if (!r || !findVariant(program, r.variant)) throw new PlanError(`单位“${spec.name}”不在名单中且未指明类别 / unit "${spec.name}" is not listed and names no variant`);
    if (spec.variant && r.variant !== spec.variant) throw new PlanError(`单位“${spec.name}”属于类别“${r.variant}”，不是“${spec.variant}” / unit "${spec.name}" belongs to variant "${r.variant}"`);
    if (seen.has(r.name)) throw new PlanError(`单位“${r.name}”重复 / unit "${r.name}" given twice`);
    seen.add(r.name);
    const hands = typeof u === 'string' ? {} : u.hands ?? { [first]: u.inputs ?? {} };
    return {
      name: r.name, variant: r.variant, tags: r.tags, inputs: (typeof u === 'string' ? undefined : u.hands ? u.hands[first] : u.inputs) ?? {}, cells: typeof u !== 'string' && u.cells === true, hands,
      remarks: typeof u === 'string' ? {} : { ...u.remarks, ...u.handRemarks?.[first] },
      handRemarks: typeof u === 'string' ? {} : u.handRemarks ?? {},
      order: listed.get(r.name) ?? (listed.size + i),
    };
  });
  const vIndex = (id: string) => program.variants.findIndex((v) => v.id === id);
  if (sort === 'document') out.sort((a, b) => a.order - b.order);
  else if (sort === 'variant') out.sort((a, b) => vIndex(a.variant) - vIndex(b.variant) || a.order - b.order);
  else out.sort((a, b) => a.name.localeCompare(b.name, 'zh-CN'));
  return out;
}

/** Which of a variant's nodes concern this unit (R21): units with the same shape get the same rows. */
function shapeOf(variant: Variant, unit: { name: string; tags: string[] }): string {
  return sheetShape(variant, unit);
}

/**
 * With no inputs anywhere, units of one shape score alike (every rank figure is 0, so every rank is 1):
 * the engine scores one unit per shape, and the summary rank follows the engine's rule
 * (1 + the number of peers with a higher final).
 */
function blankResults(program: Program, units: { u: { name: string; variant: string; tags: string[] }; shape: string }[]): Map<string, UnitResult> {
  const reps = new Map<string, { unit: string; variant: string; tags: string[] }>();
  for (const x of units) if (!reps.has(x.shape)) reps.set(x.shape, { unit: x.u.name, variant: x.u.variant, tags: x.u.tags });
  const scored = scoreCohort(program, [...reps.values()].map((r) => ({ ...r, inputs: {} })));
  const byUnit = new Map(scored.units.map((r) => [r.unit, r]));
  const out = new Map<string, UnitResult>();
  for (const x of units) {
    const rep = byUnit.get(reps.get(x.shape)!.unit);
    if (rep) out.set(x.u.name, { ...rep, unit: x.u.name });
  }
  // Finals by peer group, sorted once: a unit's rank is 1 + the count above it (n log n, not n²).
  const all = [...out.values()];
  const group = (r: UnitResult) => (program.policies.rankScope === 'program' ? '' : r.variant);
  const finals = new Map<string, number[]>();
  for (const r of all) {
    const list = finals.get(group(r));
    if (list) list.push(r.final);
    else finals.set(group(r), [r.final]);
  }
  for (const list of finals.values()) list.sort((a, b) => a - b);
  for (const r of all) {
    const list = finals.get(group(r))!;
    let lo = 0, hi = list.length; // first index with a final above r's
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (list[mid] <= r.final) lo = mid + 1;
      else hi = mid;
    }
    r.rank = 1 + list.length - lo;
  }
  return out;
}

/** The hands and policy a workbook is made with (options over the program's policy), checked. */
export function handsOf(program: Program, options: Pick<PlanOptions, 'hands' | 'assessment'>): { hands: HandId[]; assessment?: AssessmentPolicy } {
  const assessment = options.assessment ?? program.policies.assessment;
  const hands = options.hands ?? handsFor(assessment);
  if (!hands.length || hands.some((h) => !isHandId(h)) || new Set(hands).size !== hands.length) throw new PlanError(`录入人不正确：${hands.join('、')} / bad hands: ${hands.join(', ')}`);
  const scoring = scoringHands(hands);
  if (!scoring.length) throw new PlanError('须有考核人或评委 / hands need an assessor or raters');
  const raters = scoring.filter((h) => h !== 'assessor');
  if (raters.length && scoring.includes('assessor')) throw new PlanError('考核人与评委不能同时录入 / an assessor and raters cannot both score');
  if (raters.length) {
    if (!assessment?.raters) throw new PlanError('评委打分须指明评分办法（raters） / raters need a raters policy');
    if (assessment.raters.count !== raters.length || raters.some((h, i) => h !== `rater${i + 1}`)) throw new PlanError(`评委人数为${assessment.raters.count}，录入列为${raters.join('、')} / ${assessment.raters.count} raters, hands ${raters.join(', ')}`);
    const bad = assessmentProblem(program, assessment);
    if (bad) throw new PlanError(bad);
  }
  const used = isDefaultHands(hands) ? undefined : { ...(hands.includes('self') ? { self: true } : {}), ...(raters.length ? { raters: assessment!.raters } : {}) };
  return { hands, ...(used ? { assessment: used } : {}) };
}

export function planWorkbook(rubric: Program, units: UnitIn[], options: PlanOptions = {}): WorkbookPlan {
  const sort = options.sort ?? 'document';
  // The rubric as written goes into the metadata; sheets are compiled and scored with the 本表设定 values in force.
  const settings = planSettings(rubric, options.settings);
  const program = applySettings(rubric, options.settings).program;
  const { hands, assessment } = handsOf(program, options);
  const multi = !isDefaultHands(hands);
  const first = firstScoringHand(hands);
  const resolved = resolveUnits(program, units, sort, first);
  const styles = makeStyles(program.policies.precision);
  const anyInputs = resolved.some((u) => (multi ? Object.values(u.hands).some((x) => x && Object.keys(x).length > 0) : Object.keys(u.inputs).length > 0));
  const explain = options.explain ?? anyInputs;

  // Units of one variant to which the same criteria apply share one compiled sheet (and, blank, one layout).
  const compiled = new Map<string, SheetModel>();
  // Other hands' 扣分依据 (the sheet's column holds the first scoring hand's): on their own sheet, when there are any.
  const asideRemarks = handRemarkRows(resolved.map((u) => ({ name: u.name, handRemarks: u.handRemarks })), first);
  const taken = new Set<string>([SUMMARY_NAME.toLowerCase(), META_SHEET.toLowerCase(), ...(settings ? [SETTINGS_NAME.toLowerCase()] : []), ...(asideRemarks.length ? [HAND_REMARKS_SHEET.toLowerCase()] : [])]);
  const units2 = resolved.map((u, i) => {
    const variant = findVariant(program, u.variant)!;
    const shape = shapeOf(variant, u);
    let base = compiled.get(shape);
    if (!base) {
      base = compileSheet(program, variant, { name: u.name, tags: u.tags });
      compiled.set(shape, base);
    }
    const sheet: SheetModel = base.unit.name === u.name ? base : { ...base, unit: { name: u.name, tags: u.tags } };
    const handRaw = new Map(multi ? hands.map((h) => [h, cellInputs(sheet, u.hands[h] ?? {}, u.cells)] as const) : []);
    return { u, sheet, shape, name: sheetName(u.name, taken), row: SUMMARY_FIRST_ROW + i, raw: multi ? handRaw.get(first)! : cellInputs(sheet, u.inputs, u.cells), handRaw };
  });
  const byHands: Map<string, HandsUnitResult> = multi
    ? new Map(scoreHands(program, hands, assessment, resolved.map((u) => ({ unit: u.name, variant: u.variant, tags: u.tags, hands: u.hands, cells: u.cells }))).units.map((r) => [r.unit, r]))
    : new Map();
  const results = multi ? new Map([...byHands].map(([k, v]) => [k, v.result])) : anyInputs
    ? new Map<string, UnitResult>(scoreCohort(program, resolved.map((u) => ({ unit: u.name, variant: u.variant, tags: u.tags, inputs: u.inputs, cells: u.cells }))).units.map((r) => [r.unit, r]))
    : blankResults(program, units2);
  const keysOf = (s: SheetModel) => [...s.cells.values()].flatMap((e) => rankKeys(e)).filter((k, i, a) => a.indexOf(k) === i);
  const rankCols = rankColumnsFor(units2, keysOf, program);
  const lastRow = SUMMARY_FIRST_ROW + Math.max(0, units2.length - 1);
  const cohortCols = cohortColumnsFor(units2, program, summaryColumns(program).length + rankCols.length + 1);
  // Every other hand's 总分, rank and cohort columns on 汇总, after the first scoring hand's.
  let nextCol = summaryColumns(program).length + rankCols.length + cohortCols.length + 1;
  const handCols = (multi ? hands.filter((h) => h !== 'assessor') : []).map((h) => {
    const totalCol = nextCol++;
    const own = h !== first;
    const rc = own ? rankColumnsFor(units2, keysOf, program).map((r, i) => ({ ...r, label: `${r.label}（${handLabel(h)}）`, col: nextCol + i })) : [];
    nextCol += rc.length;
    const cc = own ? cohortColumnsFor(units2, program, nextCol).map((c) => ({ ...c, label: `${c.label}（${handLabel(h)}）` })) : [];
    nextCol += cc.length;
    return { hand: h, totalCol, rankCols: rc, cohortCols: cc };
  });
  const colsOf = (hand: HandId) => (hand === first ? { rankCols, cohortCols } : handCols.find((c) => c.hand === hand)!);
  const cohortRange = (variant: string, id: string, hand: HandId = first): string => {
    const c = colsOf(hand).cohortCols.find((r) => r.id === id && r.variant === variant);
    if (!c) throw new Error(`cohort criterion ${id} has no summary column`);
    return `${sheetRef(SUMMARY_NAME)}!${absAddr(SUMMARY_FIRST_ROW, c.col)}:${absAddr(lastRow, c.col)}`;
  };
  const rankRange = (variant: string, key: string, hand: HandId = first): string => {
    const c = colsOf(hand).rankCols.find((r) => r.key === key && r.variant === variant);
    if (!c) throw new Error(`rank key ${key} has no summary column`);
    return `${sheetRef(SUMMARY_NAME)}!${absAddr(SUMMARY_FIRST_ROW, c.col)}:${absAddr(lastRow, c.col)}`;
  };

  const unitSheets: SheetPlan[] = [];
  const sheetMetas: SheetMeta[] = [];
  const entries: SummaryEntry[] = [];
  const templates = new Map<string, UnitSheetOut>();
  const handEntries = new Map<HandId, SummaryEntry[]>(handCols.map((c) => [c.hand, []]));
  units2.forEach((x, i) => {
    const blank = (multi ? Object.values(x.u.hands).every((h) => !h || Object.keys(h).length === 0) : Object.keys(x.u.inputs).length === 0) && Object.keys(x.u.remarks).length === 0;
    const t = blank ? templates.get(x.shape) : undefined;
    const out = t ? instantiate(t, x.sheet, x.name, i, x.row, options.date) : planUnitSheet({
      program, sheet: x.sheet, result: results.get(x.u.name), inputs: x.u.inputs, raw: x.raw, name: x.name, index: i,
      summaryRow: x.row, rankRange: (key: string) => rankRange(x.sheet.variant.id, key), cohortRange: (id: string) => cohortRange(x.sheet.variant.id, id),
      settingRef: (key: string) => settingRef(program, key),
      date: options.date, styles, explain, scoredAt: options.scoredAt,
      remarks: x.u.remarks,
      ...(multi ? {
        hands: {
          hands, raters: assessment?.raters,
          per: new Map(hands.map((h) => [h, { result: byHands.get(x.u.name)?.hands[h], raw: x.handRaw.get(h)! }])),
          spread: byHands.get(x.u.name)?.spread, wide: byHands.get(x.u.name)?.wide, diff: byHands.get(x.u.name)?.diff,
          rankRange: (key: string, hand: HandId) => rankRange(x.sheet.variant.id, key, hand),
          cohortRange: (id: string, hand: HandId) => cohortRange(x.sheet.variant.id, id, hand),
        },
      } : {}),
    });
    if (blank && !t) templates.set(x.shape, out);
    unitSheets.push(out.plan);
    sheetMetas.push(out.meta);
    entries.push({ sheetName: x.name, sheet: x.sheet, result: results.get(x.u.name), raw: x.raw, computedAt: out.computedAt, inputAt: out.inputAt, stateAt: out.stateAt, row: x.row });
    for (const hc of handCols) {
      const m = out.handMaps!.get(hc.hand)!;
      handEntries.get(hc.hand)!.push({ sheetName: x.name, sheet: x.sheet, result: byHands.get(x.u.name)?.hands[hc.hand], raw: x.handRaw.get(hc.hand)!, computedAt: m.computedAt, inputAt: m.inputAt, stateAt: m.stateAt, row: x.row });
    }
    options.onSheet?.(i + 1, units2.length, x.u.name);
  });
  const summary = planSummary(program, entries, rankCols, styles, options.date, { rankIncomplete: options.rankIncomplete }, cohortCols,
    handCols.map((c) => ({ ...c, label: handLabel(c.hand), entries: handEntries.get(c.hand)! })));
  const meta: WorkbookMeta = {
    format: 'dafen-workbook',
    formatVersion: 1,
    program: { id: rubric.id, version: rubric.version, title: rubric.title },
    contentHash: options.contentHash ?? contentHash(rubric),
    rubric: canonicalJson(rubric),
    generator: options.generator ?? 'dafen',
    options: { ...(options.date ? { date: options.date } : {}), sort, ...(options.rankIncomplete ? { rankIncomplete: true } : {}) },
    summary: summary.meta,
    sheets: sheetMetas,
    workbookId: options.workbookId ?? newWorkbookId(),
    ...(multi ? { hands, ...(assessment ? { assessment } : {}) } : {}),
    ...(settings ? { settings: settings.meta } : {}),
  };
  return {
    // 本表设定 follows the unit sheets, as the table's annex (the sheets' foot lines point to it); 各评分人扣分依据 before the metadata.
    sheets: shareValidationPrompts([summary.plan, ...unitSheets, ...(settings ? [settings.plan] : []), ...(asideRemarks.length ? [handRemarksSheetPlan(asideRemarks)] : []), metaSheet(meta)]),
    styles,
    definedNames: [],
    properties: {
      title: program.title,
      subject: program.variants.map((v) => v.title).join('；'),
      creator: 'Dafen 打分',
      keywords: `dafen ${program.id} ${program.version}`,
    },
    meta,
  };
}
