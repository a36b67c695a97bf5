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

/** What score.ts says a rejected criterion counts (…该格按0计，本项暂按2分计；请改正), after its 录入有误（labels） lead. */
const ENGINE_ZH = /^录入有误（[^）]*）[，,]?/;
const ENGINE_EN = /^Input error \([^)]*\):?\s*/;

/**
 * The explanation of a node, or 录入有误 with the reasons where one of its inputs was rejected. One behaviour
 * with the engine's own explanation (score.ts) and the sheet's live 备注: the value is read as 0 and the item
 * scored provisionally; this adds what was wrong with each value (the messages).
 */
export function explanationOf(node: { id: string; explanation: { zh: string; en: string } }, problems: readonly Problem[]): { zh: string; en: string; rejected: boolean } {
  const bad = rejectedInputs(node.id, problems);
  if (!bad.length) return { ...node.explanation, rejected: false };
  const engine = ENGINE_ZH.test(node.explanation.zh);
  const tailZh = engine ? node.explanation.zh.replace(ENGINE_ZH, '') : '该格按0计；请改正';
  const tailEn = engine ? node.explanation.en.replace(ENGINE_EN, '') : 'read as 0 until corrected';
  return {
    zh: `录入有误：${bad.map((p) => p.message.zh).join('；')}。${tailZh}`,
    en: `Input rejected: ${bad.map((p) => p.message.en).join('; ')}. ${tailEn.charAt(0).toUpperCase()}${tailEn.slice(1)}`,
    rejected: true,
  };
}
