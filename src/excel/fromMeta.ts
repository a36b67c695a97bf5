// The layout's cell map (WorkbookMeta, stored on the very hidden _dafen sheet) → the adapter's binding.
// The plan, when at hand (just generated, or planned again from the same program, units and options
// after the workbook was reopened), adds the formula of every computed cell for 重新计算.
import { isDefaultHands } from '../engine';
import type { CellPlan, SheetMeta, SheetPlan, WorkbookMeta, WorkbookPlan } from '../layout/plan';
import { META_SHEET } from '../layout/meta';
import { INPUT_FILL } from '../layout/styles';
import { cellAddress, colName, parseCell, quoteSheet } from './a1';
import type { FormulaCell, HandInputs, SheetBinding, WorkbookBinding } from './binding';

/** The 备注 cell of a computed cell: the next column, same row (the layout puts 得分 | 备注 last). */
export function noteAddressOf(scoreAddress: string): string {
  const c = parseCell(scoreAddress);
  if (!c) return scoreAddress;
  return cellAddress(c.row, c.col + 1);
}

function formulasOf(plan: SheetPlan | undefined): FormulaCell[] {
  if (!plan) return [];
  return plan.cells
    .filter((c): c is CellPlan & { formula: string } => c.formula !== undefined)
    .map((c) => ({ id: c.computed ?? '', address: `${colName(c.col - 1)}${c.row}`, formula: `=${c.formula}` }));
}

/** Addresses of the plan's formula cells (A1), e.g. the 备注 the layout keeps live by formula (issue 9). */
function formulaAddresses(plan: SheetPlan | undefined): Set<string> {
  return new Set((plan?.cells ?? []).filter((c) => c.formula !== undefined).map((c) => `${colName(c.col - 1)}${c.row}`));
}

function textAt(plan: SheetPlan | undefined, address: string): string | null {
  const c = parseCell(address);
  if (!plan || !c) return null;
  const cell = plan.cells.find((x) => x.row === c.row + 1 && x.col === c.col + 1);
  return typeof cell?.value === 'string' ? cell.value : null;
}

/** Formula text with references to renamed sheets following the rename, as Excel rewrites them. */
export function followRenames(formula: string, renamed: ReadonlyMap<string, string>): string {
  let f = formula;
  for (const [from, to] of renamed) f = f.split(`${quoteSheet(from)}!`).join(`${quoteSheet(to)}!`).split(`'${from}'!`).join(`${quoteSheet(to)}!`);
  return f;
}

/** Every hand's input cells of a multi-hand sheet (SheetMeta.hands), in column order; undefined on a one-hand sheet. */
export function handsOf(s: Pick<SheetMeta, 'hands'>): HandInputs[] | undefined {
  return s.hands?.map((h) => ({ hand: h.hand, inputs: h.inputs.map((i) => ({ key: i.key, address: i.address })) }));
}

/**
 * `renamed` (metadata name → name now) is what readWorkbookState found: `meta` already carries the new
 * names, the plan (planned again from the metadata's units) the old ones.
 */
export function bindingFromMeta(meta: WorkbookMeta, plan?: WorkbookPlan, renamed: ReadonlyMap<string, string> = new Map(), ids: ReadonlyMap<string, string> = new Map()): WorkbookBinding {
  const original = new Map([...renamed].map(([from, to]) => [to, from]));
  // A plan made with other hands than the workbook's (a multi-hand workbook planned again as a default one) has
  // other cells at other addresses: its formulas are no guide for 重新计算.
  const sameHands = JSON.stringify(plan?.meta.hands ?? null) === JSON.stringify(meta.hands ?? null);
  const planSheet = (name: string) => (sameHands ? plan?.sheets.find((s) => s.name === (original.get(name) ?? name)) : undefined);
  // Several hands: every hand's column is read and checked live; the unit's points (and so 备注) are the assessor's,
  // or the raters' aggregate, whose explanation names each rater's figure (engine aggregateResults).
  const multiHand = meta.hands !== undefined && !isDefaultHands(meta.hands);
  const follow = (cells: FormulaCell[]) => (renamed.size ? cells.map((c) => ({ ...c, formula: followRenames(c.formula, renamed) })) : cells);
  const sheets: SheetBinding[] = meta.sheets.map((s) => {
    const p = planSheet(s.name);
    const live = formulaAddresses(p);
    const final = s.cells.find((c) => c.id === '$final');
    // A multi-hand sheet (SheetMeta.hands): 备注 is not next to 考核得分 (差异, 分差… sit between) but two columns
    // left of the marker column; its status is the sheet's own 录入状态 formula (every hand's entries), not written.
    const multi = s.hands !== undefined;
    const noteAt = (a: string): string => {
      if (!multi) return noteAddressOf(a);
      const c = parseCell(a), m = parseCell(`${s.markerCol}1`);
      return c && m ? cellAddress(c.row, m.col - 2) : a;
    };
    const statusAt = final && !multi ? noteAddressOf(final.address) : undefined;
    return {
      sheet: s.name,
      id: ids.get(s.name),
      unit: s.unit,
      variant: s.variant,
      tags: s.tags,
      inputs: s.inputs.map((i) => ({ key: i.key, address: i.address })),
      ...(multi && multiHand ? { hands: handsOf(s) } : {}),
      // Explanations go into the 备注 of criteria; subtotal and total 备注 keep the layout's rule text, and a 备注
      // the layout computes by formula (deduction lines: live in WPS without the add-in) is never overwritten.
      notes: s.cells
        .filter((c) => c.kind === 'criterion')
        .map((c) => ({ id: c.id, address: noteAt(c.address) }))
        .filter((n) => !live.has(n.address)),
      status: statusAt,
      statusLead: statusAt ? (textAt(p, statusAt) ?? '') : undefined,
      formulas: follow(formulasOf(p)),
      markerCol: s.markerCol,
    };
  });
  const sp = planSheet(meta.summary.sheet);
  return {
    programId: meta.program.id,
    version: meta.program.version,
    hash: meta.contentHash,
    metaSheet: META_SHEET,
    sheets,
    ...(multiHand ? { hands: meta.hands, ...(meta.assessment ? { assessment: meta.assessment } : {}) } : {}),
    summary: { sheet: meta.summary.sheet, id: ids.get(meta.summary.sheet), formulas: follow(formulasOf(sp)), status: [] },
    inputFill: `#${INPUT_FILL}`,
    ...(meta.settings ? { settings: settingsBinding(meta.settings, planSheet(meta.settings.sheet), ids, follow) } : {}),
  };
}

/** The 本表设定 sheet's binding: its 设定值 cells, and (when the plan is at hand) its formulas and the 评分项 texts of its rows. */
function settingsBinding(
  m: NonNullable<WorkbookMeta['settings']>, p: SheetPlan | undefined, ids: ReadonlyMap<string, string>, follow: (cells: FormulaCell[]) => FormulaCell[],
): NonNullable<WorkbookBinding['settings']> {
  const rows = new Set(m.cells.map((c) => parseCell(c.address)?.row));
  // Column C of every setting's row holds "<criterion id> <title>" (layout/settings.ts): distinct, plain text.
  const landmarks = (p?.cells ?? [])
    .filter((c) => c.col === 3 && rows.has(c.row - 1) && typeof c.value === 'string' && c.formula === undefined)
    .map((c) => ({ address: `${colName(c.col - 1)}${c.row}`, text: c.value as string }));
  return {
    sheet: m.sheet, id: ids.get(m.sheet), cells: m.cells.map((c) => ({ key: c.key, address: c.address })),
    ...(p ? { formulas: follow(formulasOf(p)), landmarks } : {}),
  };
}

/** The inputs a freshly generated workbook holds, by sheet name (the plan's input cells). */
export function planInputs(plan: WorkbookPlan): Map<string, Record<string, import('../engine').Raw>> {
  const out = new Map<string, Record<string, import('../engine').Raw>>();
  for (const m of plan.meta.sheets) {
    const p = plan.sheets.find((s) => s.name === m.name);
    const at = new Map((p?.cells ?? []).map((c) => [`${colName(c.col - 1)}${c.row}`, c]));
    const inputs: Record<string, import('../engine').Raw> = {};
    for (const i of m.inputs) {
      const v = at.get(i.address)?.value;
      inputs[i.key] = v === undefined || v === '' ? null : (v as import('../engine').Raw);
    }
    out.set(m.name, inputs);
  }
  return out;
}
