/**
 * 备注 that stays true without the add-in (issue 9 (4)): for criteria made of deduction/increment lines, the
 * note is a formula — each line's arithmetic (违反次数3次×0.5=1.5分), the cap or floor that applied, what
 * the criterion scores, 录入有误 for a rejected cell, 未录入 when nothing is entered — using only the shared
 * functions (IF, OR, AND, ROUND, &), so WPS and LibreOffice keep it current after every edit.
 * One description renders both readings: the formula, and the text the engine's figures give (the cached
 * value), so a viewer that does not recalculate shows the same words.
 */
import { MAX_FORMULA_CHARS } from './check';
import { X, readFormula, type Dec, type Expr, type FormulaEnv, type InputSpec, type NodeModel, type Value } from '../engine';

type Piece =
  | { lit: string }
  | { num: string; v: number }
  | { if: string; holds: boolean; then: Piece[]; else: Piece[] };

const quote = (s: string): string => `"${s.replace(/"/g, '""')}"`;
/** ROUND(x,4)&"": the General text of a figure rounded to 4 places, as JS prints the same number. */
const numText = (v: number): string => String(Number(v.toFixed(4)));

function formula(ps: Piece[]): string {
  const parts = ps.map((p) => ('lit' in p ? quote(p.lit) : 'num' in p ? `ROUND(${p.num},4)` : `IF(${p.if},${formula(p.then)},${formula(p.else)})`));
  return parts.length === 0 ? '""' : parts.join('&');
}

function text(ps: Piece[]): string {
  return ps.map((p) => ('lit' in p ? p.lit : 'num' in p ? numText(p.v) : text(p.holds ? p.then : p.else))).join('');
}

export interface NoteContext {
  env: FormulaEnv;
  /** The engine's reading of an input (null: blank or rejected). */
  value(key: string): Value;
  rejected: Set<string>;
  blank: Set<string>;
  ev(e: Expr): Dec;
}

/** The live 备注 of a criterion made of lines, or null where formulas cannot carry it (other kinds). */
export function liveNote(m: NodeModel, c: NoteContext): { formula: string; cached: string } | null {
  const lines = m.inputs.filter((s): s is InputSpec & { line: { verb: string; rate?: string } } => s.line !== undefined);
  const parts = lines.flatMap((s) => {
    const part = m.parts.find((p) => p.name === s.name);
    return part ? [{ s, part }] : [];
  });
  if (parts.length === 0) return null;
  const env = c.env;
  const verb = parts[0].s.line.verb;
  const pts = X.ref(m.id);
  const num = (e: Expr): { num: string; v: number } => ({ num: X.toFormula(e, env), v: c.ev(e).toNumber() });
  const bits: Piece[] = parts.map(({ s, part }) => {
    const amount = num(part.expr);
    const isCount = s.type === 'count' && s.line.rate !== undefined;
    const isFlag = s.type === 'yesno' && s.line.rate !== undefined;
    const v = c.value(s.key);
    const body: Piece[] = isCount
      ? [{ lit: s.label }, { num: readFormula(s.key, env), v: v && v.t === 'num' ? v.v.toNumber() : 0 }, { lit: `${s.unit ?? '次'}×${s.line.rate}=` }, amount, { lit: '分；' }]
      : isFlag ? [{ lit: `${s.label}，${s.line.verb}` }, amount, { lit: '分；' }]
        : [{ lit: `${s.label}${s.line.verb}` }, amount, { lit: '分；' }];
    return { if: `${amount.num}>0`, holds: amount.v > 0, then: body, else: [] };
  });
  const sum = X.sum(parts.map((p) => p.part.expr));
  const none: Piece = { if: `${X.toFormula(sum, env)}=0`, holds: c.ev(sum).isZero(), then: [{ lit: `无${verb}分，` }], else: [] };
  // A deduction or penalty item's figure is an amount taken off, not points earned.
  const tail: Piece[] = [{ lit: m.role !== 'base' || m.effect === 'subtract' ? '本项计' : '得' }, num(pts), { lit: '分' }];
  const lim = m.limits;
  if (lim?.cap) {
    const cap = lim.cap.toFixed();
    tail.push({ if: `${X.toFormula(lim.raw, env)}>${cap}`, holds: c.ev(lim.raw).gt(lim.cap), then: [{ lit: `（超过上限${cap}分，按${cap}分计）` }], else: [] });
  }
  if (lim?.floor) {
    const fl = lim.floor.toFixed();
    tail.push({ if: `${X.toFormula(lim.raw, env)}<${fl}`, holds: c.ev(lim.raw).lt(lim.floor), then: [{ lit: `（${verb}完为止）` }], else: [] });
  }
  let note: Piece[] = [...bits, none, ...tail];
  // Nothing entered yet: say so rather than explain a provisional figure.
  const required = m.inputs.filter((s) => !s.optional);
  if (required.length) {
    const blank = required.map((s) => `${env.state(s.key)}=1`);
    note = [{ if: blank.length === 1 ? blank[0] : `AND(${blank.join(',')})`, holds: required.every((s) => c.blank.has(s.key)), then: [{ lit: '未录入（暂按' }, num(pts), { lit: '分计）' }], else: note }];
  }
  if (m.naKey) {
    note = [{ if: X.condFormula(X.isNa(m.naKey, m.inputs.find((s) => s.key === m.naKey)?.type === 'yesno'), env), holds: c.value(m.naKey)?.t === 'na', then: [{ lit: '不涉及，本项计' }, num(pts), { lit: '分' }], else: note }];
  }
  // A rejected value is not a figure: 录入有误, never explained as one.
  const states = m.inputs.map((s) => `${env.state(s.key)}=2`);
  const labels = m.inputs.map((s) => s.label).join('、');
  note = [{
    if: states.length === 1 ? states[0] : `OR(${states.join(',')})`, holds: m.inputs.some((s) => c.rejected.has(s.key)),
    then: [{ lit: `录入有误（${labels}中有不符合要求的值），该格按0计，本项暂计` }, num(pts), { lit: '分；请改正' }], else: note,
  }];
  const f = formula(note);
  // Past Excel's formula limit the workbook would not open: such a 备注 keeps the engine's words as text.
  if (f.length + 1 > MAX_FORMULA_CHARS) return null;
  return { formula: f, cached: text(note) };
}
