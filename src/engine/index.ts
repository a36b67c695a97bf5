/**
 * The engine's facade: everything the layout, the CLI, the add-in and the tests use. Pure TypeScript:
 * no Office, no DOM, no ExcelJS.
 */
export { loadProgram, parsePath, type LoadResult } from './load';
export { checkProgram, nodeMax } from './check';
export { compileSheet, sheetShape, resolveUnit, parseUnitSpec, vetoKey, type NodeModel, type CohortModel, type SheetModel, type TotalId } from './compile';
export { score, scoreCohort, cohortPendingConds, rescoreCohort, CohortCache, normalizeInputs, type CohortEntry, type CohortResult, type InputsIn, type NodeResult, type UnitResult, type Limit } from './score';
export {
  parseInput, parseNumberText, normalizeText, readCell, toCell, sheetTrim, shownValue, stateFormula, statusFormula, statusOf, cellState, naKeysOf, cohortFlagsOf, MAX_FIGURE,
  type InputSpec, type InputType, type Parsed, type Raw, type StateEnv,
} from './inputs';
export * as X from './expr';
export { isNaMark, naFormulaMarks, naMarksText } from './marks';
export { explanationOf, rejectedInputs } from './rejected';
export { evaluate, toFormula, condFormula, readFormula, wordsFormula, naWordsFor, inputsOf, YES_WORDS, NO_WORDS, NA_WORDS, type Expr, type Cond, type Value, type FormulaEnv, type EvalEnv } from './expr';
export { Dec, fmt } from './decimal';
export { problem, formatProblem, hasErrors, type Problem, type Severity } from './problems';
export { MESSAGES, defineMessage, type MessageCode, type MessageDef, type MessageParams } from './messages';
export { KINDS, KIND_NAMES, kindOf } from './kinds';
export { rubricJsonSchema, COLUMN_SOURCES } from './schema';
export { walkVariant, appliesToUnit, findVariant, criterionCtx, nodeLabel } from './tree';
export type { Program, Variant, RubricNode, Rule, Unit, Veto, Policies } from './model';
export { diffPrograms, carryInputs, type NodeChange, type CarryResult } from './diff';
export { handsFor, handLabel, isHandId, scoringHands, firstScoringHand, isDefaultHands, ratersProblem, aggregateFigures, spreadOf, scoreHands, aggregateResults, directReads, assessmentProblem, figuresOfResult, handPath, FLAG_PLACES, DEFAULT_HANDS, type HandsEntry, type HandsUnitResult, type HandId, type AssessmentPolicy, type RatersPolicy } from './hands';
