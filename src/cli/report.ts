/** Rendering cohort results for the terminal: JSON, and tables aligned for Chinese text. */
import { explanationOf, fmt, formatProblem, type CohortResult, type NodeResult, type Program } from '../engine';
import type { Io } from './main';

/** Display width: CJK and full-width characters take two columns. */
export function width(s: string): number {
  let w = 0;
  for (const ch of s) w += /[\u1100-\u115F\u2E80-\uA4CF\uAC00-\uD7A3\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFF60\uFFE0-\uFFE6]/u.test(ch) ? 2 : 1;
  return w;
}
export const pad = (s: string, w: number, right = false): string => {
  const fill = ' '.repeat(Math.max(0, w - width(s)));
  return right ? fill + s : s + fill;
};

export function table(headers: string[], rows: string[][], rightCols: number[] = []): string {
  const widths = headers.map((h, i) => Math.max(width(h), ...rows.map((r) => width(r[i] ?? ''))));
  const line = (cells: string[]) => cells.map((c, i) => pad(c, widths[i], rightCols.includes(i))).join('  ').trimEnd();
  return [line(headers), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

const flat = (nodes: NodeResult[]): NodeResult[] => nodes.flatMap((n) => [n, ...flat(n.children)]);

export function cohortJson(program: Program, res: CohortResult) {
  return {
    program: { id: program.id, version: program.version, title: program.title },
    units: res.units.map((u) => ({
      unit: u.unit, variant: u.variant, base: u.base, bonus: u.bonus, penalty: u.penalty, final: u.final,
      // A unit with a rejected input is not complete: that value counts as blank until it is corrected.
      converted: u.converted, rank: u.rank, veto: u.veto, grade: u.grade, complete: u.complete && !u.problems.some((p) => p.severity === 'error'),
      nodes: flat(u.nodes).map((n) => {
        const e = explanationOf(n, u.problems);
        return { id: n.id, points: n.points, max: n.max, explanation: e.zh, ...(e.rejected ? { rejected: true } : {}) };
      }),
      problems: u.problems.map((p) => ({ code: p.code, severity: p.severity, path: p.path, message: p.message })),
    })),
    problems: res.problems.map((p) => ({ code: p.code, severity: p.severity, path: p.path, message: p.message })),
  };
}

export function printCohortTable(program: Program, res: CohortResult, io: Io): void {
  const p = program.policies.precision;
  const conv = Boolean(program.policies.conversion);
  const grades = Boolean(program.policies.grades);
  const headers = ['名次', '单位', '类别', '基础分', '加分', '扣分', '总分', ...(conv ? ['折合'] : []), ...(grades ? ['等次'] : []), '否决', '状态'];
  const sorted = [...res.units].sort((a, b) => (a.variant === b.variant ? (a.rank ?? 0) - (b.rank ?? 0) : a.variant.localeCompare(b.variant)));
  const rows = sorted.map((u) => [
    String(u.rank ?? ''), u.unit, program.variants.find((v) => v.id === u.variant)?.name ?? u.variant,
    fmt(u.base, p), fmt(u.bonus, p), fmt(u.penalty, p), fmt(u.final, p), ...(conv ? [fmt(u.converted ?? 0, p)] : []),
    ...(grades ? [u.grade ?? ''] : []), u.veto ? '取消评优资格' : '',
    u.problems.some((x) => x.severity === 'error') ? `有${u.problems.filter((x) => x.severity === 'error').length}处错误` : u.complete ? '完成' : `未完成${u.missing}项`,
  ]);
  io.out(program.title);
  io.out(table(headers, rows, [0, 3, 4, 5, 6, ...(conv ? [7] : [])]));
  for (const u of res.units) for (const pr of u.problems) io.err(`${u.unit}: ${formatProblem(pr)}`);
  for (const pr of res.problems) io.err(formatProblem(pr));
}
