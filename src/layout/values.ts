/**
 * The engine's value of every computed cell of one unit sheet: what the workbook caches next to each
 * formula. Node and total figures come from the engine's UnitResult; the few totals a UnitResult does
 * not carry ($baseRaw, $naMax) are evaluated from the same SheetModel with the inputs as the cells hold
 * them, read as the engine read them (a value the engine rejected reads as blank).
 */
import { Dec, X, readCell, type Expr, type NodeResult, type Raw, type SheetModel, type UnitResult, type Value } from '../engine';

export function cellValues(sheet: SheetModel, result: UnitResult | undefined, cells: Map<string, Raw>): Map<string, number> {
  const out = new Map<string, number>();
  if (result) {
    const walk = (ns: NodeResult[]) => ns.forEach((n) => { out.set(n.id, n.points); walk(n.children); });
    walk(result.nodes);
    out.set('$base', result.base);
    out.set('$bonus', result.bonus);
    out.set('$penalty', result.penalty);
    out.set('$adjust', result.adjustment);
    out.set('$final', result.final);
    if (result.converted !== null) out.set('$converted', result.converted);
  }
  const missing = [...sheet.cells.keys()].filter((id) => !out.has(id));
  if (missing.length) {
    const rejected = new Set((result?.problems ?? []).filter((p) => p.severity === 'error').map((p) => p.path));
    const values = new Map<string, Value>();
    for (const spec of [...sheet.inputs, ...sheet.vetoInputs]) values.set(spec.key, rejected.has(spec.key) ? null : readCell(spec, cells.get(spec.key)).value);
    const memo = new Map<string, Dec>();
    const env: X.EvalEnv = {
      value: (k) => values.get(k) ?? null,
      ref: (id) => {
        const known = out.get(id);
        if (known !== undefined) return new Dec(known);
        let v = memo.get(id);
        if (v === undefined) {
          const e: Expr | undefined = sheet.cells.get(id);
          v = e ? X.evaluate(e, env) : new Dec(0);
          memo.set(id, v);
        }
        return v;
      },
      // Only totals reach here, and no total ranks; a rank criterion's value comes from the UnitResult.
      rank: () => new Dec(0),
    };
    for (const id of missing) out.set(id, env.ref(id).toNumber());
  }
  return out;
}

/** Every input key an expression ranks on (R13), in order of appearance. */
export function rankKeys(e: Expr | X.Cond, out: string[] = []): string[] {
  switch (e.op) {
    case 'rank':
      if (!out.includes(e.key)) out.push(e.key);
      break;
    case '+': case '-': case '*': case '/':
      rankKeys(e.a, out); rankKeys(e.b, out); break;
    case 'sum': case 'min': case 'max':
      e.xs.forEach((x) => rankKeys(x, out)); break;
    case 'if':
      rankKeys(e.c, out); rankKeys(e.t, out); rankKeys(e.f, out); break;
    case 'round':
      rankKeys(e.x, out); break;
    case 'cmp':
      rankKeys(e.a, out); rankKeys(e.b, out); break;
    case 'and': case 'or':
      e.cs.forEach((c) => rankKeys(c, out)); break;
    case 'not':
      rankKeys(e.c, out); break;
    default:
      break;
  }
  return out;
}
