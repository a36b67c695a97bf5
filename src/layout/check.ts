/**
 * Plan invariants, checked in the pure layer (not when applying): valid unique sheet names, merges in
 * bounds and never overlapping, one cell per position, literal text never a formula, inputs unlocked
 * and computed cells locked, validations only on inputs, the A$1 print-area form, formulas within Excel's
 * 8,192 characters, and a cell map that points at the cells it names.
 */
import { addr, isValidSheetName, parseAddr } from './names';
import type { WorkbookPlan } from './plan';
import { ADDIN_WRITTEN } from './styles';

/**
 * The longest formula Excel accepts ("Length of formula contents: 8,192 characters", Excel specifications
 * and limits), counted with its leading "=". LibreOffice and WPS take longer ones; Excel refuses the file.
 */
export const MAX_FORMULA_CHARS = 8192;

/** Excel nests at most 64 levels of functions in one formula (LibreOffice and WPS take at least as many). */
export const MAX_FUNCTION_NESTING = 64;

/** How deeply function calls nest in a formula (grouping parentheses and text in quotes do not count). */
export function functionNesting(formula: string): number {
  const stack: boolean[] = [];
  let depth = 0;
  let max = 0;
  let inText = false;
  for (let i = 0; i < formula.length; i++) {
    const ch = formula[i];
    if (ch === '"') inText = !inText;
    if (inText) continue;
    if (ch === '(') {
      const fn = i > 0 && /[A-Za-z0-9_.]/.test(formula[i - 1]);
      stack.push(fn);
      if (fn) max = Math.max(max, ++depth);
    } else if (ch === ')') {
      if (stack.pop()) depth--;
    }
  }
  return max;
}

export interface LongFormula {
  sheet: string;
  cell: string;
  /** The computed id the cell holds (criterion path, or a total such as `$final`), when known. */
  id?: string;
  length: number;
}

/** Every formula of the plan longer than Excel accepts, with sheet, cell and what it computes. */
export function longFormulas(plan: WorkbookPlan): LongFormula[] {
  const out: LongFormula[] = [];
  for (const s of plan.sheets) {
    for (const c of s.cells) {
      if (c.formula === undefined || c.formula.length + 1 <= MAX_FORMULA_CHARS) continue;
      out.push({ sheet: s.name, cell: addr(c.row, c.col), ...(c.computed ? { id: c.computed } : {}), length: c.formula.length + 1 });
    }
  }
  return out;
}

export function checkPlan(plan: WorkbookPlan): string[] {
  const out: string[] = [];
  const names = new Set<string>();
  for (const s of plan.sheets) {
    const at = (what: string) => out.push(`${s.name}: ${what}`);
    if (!isValidSheetName(s.name)) at('invalid sheet name');
    if (names.has(s.name.toLowerCase())) at('duplicate sheet name');
    names.add(s.name.toLowerCase());

    const cells = new Map<string, (typeof s.cells)[number]>();
    for (const c of s.cells) {
      const k = addr(c.row, c.col);
      if (c.row < 1 || c.col < 1) at(`cell out of bounds ${c.row},${c.col}`);
      if (cells.has(k)) at(`two cells at ${k}`);
      cells.set(k, c);
      const st = plan.styles[c.style];
      if (!st) at(`${k} has unknown style ${c.style}`);
      if (c.formula !== undefined && c.value !== undefined && c.value !== null) at(`${k} has both a value and a formula`);
      if (c.formula !== undefined && (c.formula.startsWith('=') || !c.formula.length)) at(`${k} formula must not start with "="`);
      if (c.input && st?.locked) at(`${k} is an input but locked`);
      if (!c.input && !c.remark && st && !st.locked && !ADDIN_WRITTEN.has(c.style)) at(`${k} is unlocked but not an input`);
      if (c.remark && st?.locked) at(`${k} is a 扣分依据 cell but locked`);
      if (c.computed && c.formula === undefined) at(`${k} is computed but has no formula`);
      if (c.formula !== undefined && c.cached === undefined) at(`${k} formula has no cached value`);
      if (c.formula !== undefined && c.formula.length + 1 > MAX_FORMULA_CHARS) at(`${k} formula is ${c.formula.length + 1} characters (Excel takes ${MAX_FORMULA_CHARS})`);
      if (c.formula !== undefined && functionNesting(c.formula) > MAX_FUNCTION_NESTING) at(`${k} formula nests ${functionNesting(c.formula)} functions deep (Excel takes ${MAX_FUNCTION_NESTING})`);
    }
    const occupied = new Map<string, number>();
    s.merges.forEach((m, i) => {
      if (m.top < 1 || m.left < 1 || m.bottom < m.top || m.right < m.left) at(`bad merge #${i}`);
      if (m.right > s.columns.length) at(`merge ${addr(m.top, m.left)}:${addr(m.bottom, m.right)} beyond the last column`);
      for (let r = m.top; r <= m.bottom; r++) {
        for (let c = m.left; c <= m.right; c++) {
          const k = addr(r, c);
          if (occupied.has(k)) at(`merges #${occupied.get(k)} and #${i} overlap at ${k}`);
          occupied.set(k, i);
          const cell = cells.get(k);
          if ((r !== m.top || c !== m.left) && cell && ((cell.value !== undefined && cell.value !== null) || cell.formula !== undefined)) {
            at(`${k} is inside a merge but holds content`);
          }
        }
      }
    });
    for (const v of s.validations) {
      if (!cells.get(v.address)?.input) at(`validation on ${v.address}, which is not an input`);
    }
    if (s.print && !/^[A-Z]+\$\d+:[A-Z]+\$\d+$/.test(s.print.printArea)) at(`print area ${s.print.printArea} not in A$1:H$9 form`);
  }
  // The cell map names real cells.
  const byName = new Map(plan.sheets.map((s) => [s.name, new Map(s.cells.map((c) => [addr(c.row, c.col), c]))]));
  for (const sm of plan.meta.sheets) {
    const cells = byName.get(sm.name);
    if (!cells) {
      out.push(`meta names missing sheet ${sm.name}`);
      continue;
    }
    for (const i of sm.inputs) if (cells.get(i.address)?.input !== i.key) out.push(`${sm.name}!${i.address}: map says input ${i.key}`);
    for (const c of sm.cells) if (cells.get(c.address)?.computed !== c.id) out.push(`${sm.name}!${c.address}: map says computed ${c.id}`);
    for (const r of sm.remarks ?? []) if (cells.get(r.address)?.remark !== r.id) out.push(`${sm.name}!${r.address}: map says 扣分依据 of ${r.id}`);
    for (const i of sm.inputs) parseAddr(i.address);
  }
  return out;
}
