// From a unit's score to what the add-in writes on its sheet: 备注 explanations, the status text, and
// which input cells to flag (with the message) or clear. Pure data, so tests check the texts directly;
// live.ts turns it into one batch of range writes.
import { explanationOf, firstScoringHand, handLabel, handPath, type HandId, type NodeResult, type Problem, type UnitResult } from '../engine';
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

/**
 * The 备注 text of one node: its explanation, then the messages of its bad inputs. `others` (a multi-hand sheet):
 * rejected entries in a column whose figures are not the unit's (自评), each a line of its own after the explanation.
 */
export function noteText(node: NodeResult, problems: readonly Problem[], others: readonly Problem[] = []): string {
  const mine = (ps: readonly Problem[]) => ps.filter((p) => p.path.split('#')[0] === node.id && p.severity === 'error');
  const more = mine(others).map((p) => `⚠ ${p.message.zh}`);
  // A rejected input is explained as 录入有误, never with the figure its blank stand-in gives.
  const e = explanationOf(node, problems);
  if (e.rejected) return [`⚠ ${e.zh}`, ...more].join('\n');
  const lines = [node.explanation.zh, ...mine(problems).map((p) => `⚠ ${p.message.zh}`), ...more];
  return lines.filter(Boolean).join('\n');
}

/** The hand whose cell a combined problem path names (`self:k1#n`, the first scoring hand's plain: engine handPath), and the plain path. */
function handOfPath(path: string, hands: readonly HandId[], first: HandId): { hand: HandId; path: string } {
  for (const h of hands) if (h !== first && path.startsWith(handPath(h, '', first))) return { hand: h, path: path.slice(handPath(h, '', first).length) };
  return { hand: first, path };
}

/**
 * The problems the 备注 of a multi-hand sheet speaks of. `unit`: those its explanation rests on — the unit's points
 * are the assessor's (the first hand's plain paths, as on a one-hand sheet), or the raters' aggregate, which every
 * rater's rejected entry enters. `others`: the rest (自评), said after the explanation. Each at its plain path, its
 * message saying whose column it is (自评：…, 评委2：…); the assessor's as today.
 */
function noteProblems(result: UnitResult, hands: readonly HandId[] | undefined): { unit: readonly Problem[]; others: Problem[] } {
  if (!hands) return { unit: result.problems, others: [] };
  const first = firstScoringHand(hands);
  const unit: Problem[] = [], others: Problem[] = [];
  for (const p of result.problems) {
    const at = handOfPath(p.path, hands, first);
    const labelled = at.hand === 'assessor' ? p : { ...p, path: at.path, message: { zh: `${handLabel(at.hand)}：${p.message.zh}`, en: `${at.hand}: ${p.message.en}` } };
    (at.hand === 'self' ? others : unit).push(labelled);
  }
  return { unit, others };
}

export function sheetWrites(binding: SheetBinding, result: UnitResult): SheetWrites {
  const byId = new Map(flatten(result.nodes).map((n) => [n.id, n]));
  const hands = binding.hands?.map((h) => h.hand);
  const notes: CellText[] = [];
  const said = noteProblems(result, hands);
  for (const nc of binding.notes) {
    const n = byId.get(nc.id);
    if (n) notes.push({ address: nc.address, text: noteText(n, said.unit, said.others) });
  }
  const messages = new Map<string, string[]>();
  for (const p of result.problems) {
    if (p.severity !== 'error') continue;
    messages.set(p.path, [...(messages.get(p.path) ?? []), p.message.zh]);
  }
  // Every hand's cells on a multi-hand sheet, each problem at its own hand's cell (combined path, engine handPath)
  // and its message saying whose column it is (自评：…, 评委2：…).
  const first = hands ? firstScoringHand(hands) : 'assessor';
  const cells = binding.hands
    ? binding.hands.flatMap((h) => h.inputs.map((i) => ({ path: handPath(h.hand, i.key, first), address: i.address, label: `${handLabel(h.hand)}：` })))
    : binding.inputs.map((i) => ({ path: i.key, address: i.address, label: '' }));
  const bad: CellText[] = [];
  const good: string[] = [];
  for (const i of cells) {
    const m = messages.get(i.path);
    if (m) bad.push({ address: i.address, text: m.map((x) => i.label + x).join('\n') });
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
