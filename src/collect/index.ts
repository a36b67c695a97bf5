/**
 * Sending out and collecting (分发 / 收集), issue 15: a master 打分表 → one piece per unit (self-assessment)
 * or per rater, each with its identity; returned pieces → a new master with every value in its unit, hand
 * and input, conflicts listed and kept, foreign, duplicate and altered files refused. Browser-safe (no Node,
 * no DOM): the CLI (src/cli/collect.ts) and the task pane share it. Sits on engine, layout and xlsx.
 */
export { splitWorkbook, planPieces, safeFileName, type Piece, type SplitBy, type SplitOptions } from './split';
export {
  mergeWorkbooks, collectEntries, mergedPlan, mergeEntries, masterEntries, masterKept, masterPlan, readPiece,
  UNMATCHED_SHEET_NAME, type CollectFile, type Collected, type Conflict, type FileReport, type MasterEntries, type MergeOptions, type MergeReport, type MergeResult, type Write,
} from './merge';
export { openMaster, readWorkbook, type Master } from './master';
export { quickRead, plainSheet } from './quick-read';
// The sheet of other hands' 扣分依据 is the layout's (src/layout/hand-remarks.ts); re-exported for the pane and tests.
export { HAND_REMARKS_SHEET, type HandRemark } from '../layout';
export { makeIdentity, identityProblem, masterId } from './identity';
export { handName, handsOf, firstScoringHand, isHandId, type HandId } from './hands';
export { COLLECT_MESSAGES, collectProblem, formatCollectProblem, type CollectCode, type CollectProblem } from './messages';
