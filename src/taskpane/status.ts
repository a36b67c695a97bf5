// A unit's status in the pane's language (完成 / 未完成 n 项 / 有 n 处错误 — Complete / n not entered /
// n errors), from the same rule as the sheet's status cell (excel/writes.ts statusText).
import type { UnitResult } from '../engine';
import { t, type Lang } from './i18n';

export type StatusKind = 'done' | 'missing' | 'errors';

export function statusOf(r: Pick<UnitResult, 'complete' | 'missing' | 'problems'>): { kind: StatusKind; count: number } {
  const errors = r.problems.filter((p) => p.severity === 'error').length;
  if (errors > 0) return { kind: 'errors', count: errors };
  if (!r.complete) return { kind: 'missing', count: r.missing };
  return { kind: 'done', count: 0 };
}

export function statusLabel(r: Pick<UnitResult, 'complete' | 'missing' | 'problems'>, lang: Lang): string {
  const s = statusOf(r);
  return t(s.kind === 'done' ? 'status.done' : s.kind === 'missing' ? 'status.missing' : 'status.errors', lang, { count: s.count });
}
