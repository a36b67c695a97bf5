/**
 * A criterion whose input was rejected (录入有误) is explained as such, never with the figure its blank
 * stand-in produces ("无扣分，得2分" for a count typed as 三次): the explanation names the rejected value
 * and says the item is scored once it is corrected. Used wherever an explanation is shown (CLI, 备注).
 */
import type { Problem } from './problems';

/** The error problems on a criterion's inputs (path `<criterion id>#<name>` or the criterion id). */
export function rejectedInputs(nodeId: string, problems: readonly Problem[]): Problem[] {
  return problems.filter((p) => p.severity === 'error' && p.path.split('#')[0] === nodeId);
}

/** The explanation of a node, or 录入有误 with the reasons where one of its inputs was rejected. */
export function explanationOf(node: { id: string; explanation: { zh: string; en: string } }, problems: readonly Problem[]): { zh: string; en: string; rejected: boolean } {
  const bad = rejectedInputs(node.id, problems);
  if (!bad.length) return { ...node.explanation, rejected: false };
  return {
    zh: `录入有误：${bad.map((p) => p.message.zh).join('；')}。本项按未录入处理，更正后计分`,
    en: `Input rejected: ${bad.map((p) => p.message.en).join('; ')}. Counted as not entered until corrected`,
    rejected: true,
  };
}
