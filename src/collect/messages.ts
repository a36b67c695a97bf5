/**
 * Messages of sending out and collecting (分发 / 收集), zh-CN and English, keyed by code — the same shape
 * as the engine's catalog (src/engine/messages.ts), kept in this layer. Every refusal names the file and
 * says why; every conflict names unit, hand, input and both values.
 */
import { defineMessage, type MessageDef, type MessageParams, type Severity } from '../engine';

type P = MessageParams;
type Def = MessageDef;
const m = defineMessage;

export const COLLECT_MESSAGES = {
  // ---- the master (split and merge) ----
  'collect.masterUnreadable': m('error', (p) => `无法使用打分表 ${p.file}：${p.detail}`, (p) => `Cannot use the workbook ${p.file}: ${p.detailEn ?? p.detail}`),
  'collect.masterIsPiece': m(
    'error',
    (p) => `${p.file} 是分发出去的文件（${p.hand}），不是汇总用的打分表；请给出生成它的那份打分表`,
    (p) => `${p.file} is a piece sent out (${p.handEn}), not the master; give the workbook it was split from`,
  ),
  'collect.masterNoRubric': m(
    'error',
    (p) => `打分表 ${p.file} 没有保存评分细则（较早的版本生成），无法分发或收集；请先用 dafen update 重新生成`,
    (p) => `The workbook ${p.file} carries no rubric (made by an older version): regenerate it with dafen update first`,
  ),
  'collect.noSelfHand': m(
    'error',
    (p) => `打分表 ${p.file} 没有自评列，不能按单位分发自评表；请用 dafen make --self 生成带自评列的打分表`,
    (p) => `The workbook ${p.file} has no self-assessment column: make it with dafen make --self to send units their self-assessment`,
  ),
  'collect.noRaters': m(
    'error',
    (p) => `打分表 ${p.file} 没有多名评分员（只有${p.hands}），不能按评分员分发；请用 dafen make --raters 3 生成`,
    (p) => `The workbook ${p.file} has no raters (only ${p.handsEn}): make it with dafen make --raters 3 to send each rater a copy`,
  ),
  'collect.handNotInMaster': m(
    'error',
    (p) => `打分表 ${p.file} 中没有“${p.hand}”这一列（有：${p.hands}）`,
    (p) => `The workbook ${p.file} has no column for ${p.handEn} (it has ${p.handsEn})`,
  ),
  // ---- a returned file, refused ----
  'collect.notOurs': m(
    'error',
    (p) => `${p.file} 已拒收：这不是打分（Dafen）的文件（${p.detail}）`,
    (p) => `${p.file} refused: not a Dafen file (${p.detailEn ?? p.detail})`,
  ),
  'collect.notPiece': m(
    'error',
    (p) => `${p.file} 已拒收：这是一份完整的打分表，不是从打分表分发出去的文件；只收分发出去再交回的文件`,
    (p) => `${p.file} refused: a whole scoring workbook, not a piece split from the master; only pieces sent out and returned are collected`,
  ),
  'collect.tampered': m(
    'error',
    (p) => `${p.file} 已拒收：文件的分发标识被改动过（${p.detail}），无法确认它来自哪一份打分表、由谁填写`,
    (p) => `${p.file} refused: its identity was altered (${p.detailEn ?? p.detail}); where it came from and whose entries it holds cannot be trusted`,
  ),
  'collect.otherMaster': m(
    'error',
    (p) => `${p.file} 已拒收：它是从另一份打分表（${p.title}，${p.issued} 分发）分发出去的，不属于本打分表`,
    (p) => `${p.file} refused: it was split from another workbook (${p.title}, sent out ${p.issued}), not from this one`,
  ),
  'collect.otherProgram': m(
    'error',
    (p) => `${p.file} 已拒收：它属于考核方案“${p.other}”，本打分表是“${p.id}”`,
    (p) => `${p.file} refused: it belongs to program "${p.other}", this workbook to "${p.id}"`,
  ),
  'collect.duplicate': m(
    'error',
    (p) => `${p.file} 已拒收：与 ${p.first} 是同一份文件（同一分发标识），只收一次`,
    (p) => `${p.file} refused: the same piece as ${p.first} (same identity); collected once`,
  ),
  'collect.sameSlot': m(
    'error',
    (p) => `${p.file} 已拒收：${p.first} 已交回“${p.unit}”的${p.hand}，同一单位同一评分人只收一份（可能分发了两次）`,
    (p) => `${p.file} refused: ${p.first} already returned ${p.handEn} for "${p.unit}"; one file per unit and hand (was it split twice?)`,
  ),
  'collect.handUnknown': m(
    'error',
    (p) => `${p.file} 已拒收：它是${p.hand}的文件，本打分表没有这一列（有：${p.hands}）`,
    (p) => `${p.file} refused: it holds ${p.handEn}'s entries, and this workbook has no such column (it has ${p.handsEn})`,
  ),
  'collect.noUnits': m(
    'error',
    (p) => `${p.file} 已拒收：其中的单位（${p.units}）都不在本打分表中`,
    (p) => `${p.file} refused: none of its units (${p.units}) is in this workbook`,
  ),
  'collect.noRubric': m(
    'error',
    (p) => `${p.file} 已拒收：它按评分细则第${p.version}版填写，本打分表是第${p.master}版，而文件中没有保存第${p.version}版细则，无法按评分项转入`,
    (p) => `${p.file} refused: filled in against version ${p.version}, the workbook is version ${p.master}, and the file carries no copy of version ${p.version} to carry entries by criterion`,
  ),
  // ---- a returned file, taken (warnings) ----
  'collect.conflict': m(
    'warning',
    (p) => `${p.file}：“${p.unit}”${p.hand}的“${p.label}”（${p.key}）交回 ${p.piece}，打分表中已是 ${p.master}；${p.kept}`,
    (p) => `${p.file}: "${p.unit}" ${p.handEn} "${p.label}" (${p.key}) returned ${p.piece}, the workbook holds ${p.master}; ${p.keptEn}`,
  ),
  'collect.otherVersion': m(
    'warning',
    (p) => `${p.file}：按评分细则第${p.version}版填写，已按评分项转入第${p.master}版（${p.carried} 项转入${p.kept ? `，${p.kept} 项保留在“未匹配录入”` : ''}）`,
    (p) => `${p.file}: filled in against version ${p.version}, carried to version ${p.master} by criterion (${p.carried} carried${p.kept ? `, ${p.kept} kept on 未匹配录入` : ''})`,
  ),
  'collect.unitGone': m(
    'warning',
    (p) => `${p.file}：单位“${p.unit}”不在本打分表中，其录入保留在“未匹配录入”工作表`,
    (p) => `${p.file}: unit "${p.unit}" is not in this workbook; its entries are kept on the 未匹配录入 sheet`,
  ),
  'collect.readProblem': m('warning', (p) => `${p.file}：${p.detail}`, (p) => `${p.file}: ${p.detailEn}`),
} satisfies Record<string, Def>;

export type CollectCode = keyof typeof COLLECT_MESSAGES;

export interface CollectProblem {
  code: CollectCode;
  severity: Severity;
  /** The file it concerns (its name as given), or '' for the whole operation. */
  file: string;
  params: P;
  message: { zh: string; en: string };
}

export function collectProblem(code: CollectCode, params: P, severity?: Severity): CollectProblem {
  const def = COLLECT_MESSAGES[code];
  return { code, severity: severity ?? def.severity, file: String(params.file ?? ''), params, message: { zh: def.zh(params), en: def.en(params) } };
}

/** One line: `warning collect.conflict 中文 / English`. */
export function formatCollectProblem(p: CollectProblem, lang: 'zh' | 'en' | 'both' = 'both'): string {
  const msg = lang === 'zh' ? p.message.zh : lang === 'en' ? p.message.en : `${p.message.zh} / ${p.message.en}`;
  return `${p.severity === 'warning' ? 'warning ' : ''}${p.code} ${msg}`;
}
