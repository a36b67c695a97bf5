// From a unit's score to what the add-in writes on its sheet: 备注 explanations, the status text, and
// which input cells to flag (with the message) or clear. Pure data, so tests check the texts directly;
// live.ts turns it into one batch of range writes.
import { explanationOf, type NodeResult, type Problem, type UnitResult } from '../engine';
import type { SheetBinding } from './binding';

export const BAD_INPUT_FILL = '#FFC7CE';
export const BAD_INPUT_FONT = '#9C0006';
export const STATUS_LABEL = '录入状态：';
/**
 * Said in the sheet itself, after the status: the add-in can only write while its pane is open, so a
 * status a clerk reads with the pane closed may be stale (the pane itself says so too, and reopens with the
 * workbook: Office.AutoShowTaskpaneWithDocument).
 */
export const LIVE_HINT = '（打分窗格打开时自动更新；窗格关闭期间的录入请点“重新计算”）';

export interface CellText {
  address: string;
  text: string;
}

export interface SheetWrites {
  sheet: string;
  notes: CellText[];
  status: CellText | null;
  statusText: string;
  /** Input cells with a problem: highlighted, message in the cell's note. */
  bad: CellText[];
  /** Input cells without a problem: highlight and note removed. */
  good: string[];
}

/** 完成 / 未完成 n 项 / 有 n 处错误 (errors first: a wrong value matters more than a missing one). */
export function statusText(r: Pick<UnitResult, 'complete' | 'missing' | 'problems'>): string {
  const errors = r.problems.filter((p) => p.severity === 'error').length;
  if (errors > 0) return `有 ${errors} 处错误`;
  if (!r.complete) return `未完成 ${r.missing} 项`;
  return '完成';
}

const flatten = (nodes: readonly NodeResult[]): NodeResult[] => nodes.flatMap((n) => [n, ...flatten(n.children)]);

/** The 备注 text of one node: its explanation, then the messages of its bad inputs. */
export function noteText(node: NodeResult, problems: readonly Problem[]): string {
  // A rejected input is explained as 录入有误, never with the figure its blank stand-in gives.
  const e = explanationOf(node, problems);
  if (e.rejected) return `⚠ ${e.zh}`;
  const own = problems.filter((p) => p.path.split('#')[0] === node.id && p.severity === 'error');
  const lines = [node.explanation.zh, ...own.map((p) => `⚠ ${p.message.zh}`)];
  return lines.filter(Boolean).join('\n');
}

export function sheetWrites(binding: SheetBinding, result: UnitResult): SheetWrites {
  const byId = new Map(flatten(result.nodes).map((n) => [n.id, n]));
  const notes: CellText[] = [];
  for (const nc of binding.notes) {
    const n = byId.get(nc.id);
    if (n) notes.push({ address: nc.address, text: noteText(n, result.problems) });
  }
  const messages = new Map<string, string[]>();
  for (const p of result.problems) {
    if (p.severity !== 'error') continue;
    messages.set(p.path, [...(messages.get(p.path) ?? []), p.message.zh]);
  }
  const bad: CellText[] = [];
  const good: string[] = [];
  for (const i of binding.inputs) {
    const m = messages.get(i.key);
    if (m) bad.push({ address: i.address, text: m.join('\n') });
    else good.push(i.address);
  }
  const text = statusText(result);
  return {
    sheet: binding.sheet,
    notes,
    status: binding.status ? { address: binding.status, text: `${binding.statusLead ? `${binding.statusLead}\n` : ''}${STATUS_LABEL}${text}\n${LIVE_HINT}` } : null,
    statusText: text,
    bad,
    good,
  };
}
