/**
 * The contract every rule kind fulfils. A kind brings, in one file: its parameters' schema, the inputs
 * a clerk fills, the expression it compiles to (evaluated by the engine and printed as a formula),
 * the explanation a clerk reads (备注), and its own rubric checks. Shared code never switches on kind
 * names: it asks the registry (kinds/index.ts).
 */
import { z } from 'zod';
import type { Dec } from '../decimal';
import { num, setting as settingExpr, type Expr, type Value } from '../expr';
import type { InputSpec } from '../inputs';
import type { Problem } from '../problems';

/**
 * A rule parameter the document does not state (本表设定，文件未规定: a rank table, a tier the text leaves out,
 * a step): printed on the 本表设定 sheet with its explanation, where the clerk may change it in the workbook.
 */
export const Setting = z.strictObject({
  label: z.string().min(1).describe('What the value is, as the 本表设定 sheet names it (第1名得分, 190—200平方米得分)'),
  why: z.string().min(1).describe('Why the table sets it (zh-CN): what the document leaves unstated'),
  whyEn: z.string().min(1).describe('The same in English'),
}).describe('本表设定，文件未规定: this value is the rubric\'s own choice; the clerk may change it on the 本表设定 sheet');
export type SettingMark = z.infer<typeof Setting>;

/** One value a kind lets the clerk change (`settings` of a KindDef): where it sits in the rule and what it may be. */
export interface SettingSpec {
  /** Dotted path inside the rule (`step.first`, `table.0.points`, `tiers.3.points`). */
  param: string;
  /** The rubric's value. */
  value: number;
  mark: SettingMark;
  /** Bounds every accepted value keeps (min included; `positive`: above 0). */
  min: number;
  max: number | null;
  positive?: boolean;
}

/** A criterion's settings and, where its values must stay in order, the whole sequence (settings by param, others as figures). */
export interface SettingGroup {
  items: SettingSpec[];
  order?: { seq: ({ param: string } | { value: number })[]; dir: 'up' | 'down' };
}

export interface CriterionCtx {
  id: string;
  /** The variant's id (settings are keyed by variant and criterion). */
  variant: string;
  /** Path in the rubric file, for problems. */
  path: string;
  title: string;
  /** Declared points, null where the document gives none (bonus/penalty items, R18). */
  points: Dec | null;
  /** Whether this criterion's first input accepts 不涉及 (R22). */
  naAllowed: boolean;
}

export interface Part {
  name: string;
  /** Amount this line adds or deducts (before the criterion's own floor/cap). */
  expr: Expr;
}

export interface Compiled {
  /** The criterion's points (or, for a deduction/penalty item, its amount). */
  points: Expr;
  /** Per-line amounts, for the explanation and for the sheet's 备注. */
  parts: Part[];
  /** Where the rule clamps its own figure: the figure before clamping and the bounds (reported as the node's limit). */
  limits?: { raw: Expr; cap: Dec | null; floor: Dec | null };
}

export interface ExplainCtx {
  points: Dec;
  part(name: string): Dec;
  value(key: string): Value;
  /** Evaluates any expression in this unit's context. */
  ev(e: Expr): Dec;
}

export interface Text2 {
  zh: string;
  en: string;
}

export interface KindDef<R extends { kind: string } = { kind: string }> {
  kind: R['kind'];
  /** The kind's name as a clerk reads it (评分细则's 计分方式 dropdown: 直接打分, 是否, 选项…). */
  name: Text2;
  /** Rule-catalog numbers this kind expresses. */
  catalog: string[];
  /** One line for the docs and the JSON schema description. */
  summary: string;
  schema: z.ZodType<R>;
  inputs(rule: R, c: CriterionCtx): InputSpec[];
  compile(rule: R, c: CriterionCtx): Compiled;
  explain(rule: R, c: CriterionCtx, x: ExplainCtx): Text2;
  check(rule: R, c: CriterionCtx): Problem[];
  /** Problems that need several of the criterion's inputs together (done above required…). */
  validate?(rule: R, c: CriterionCtx, value: (key: string) => Value): Problem[];
  /** Zero-out clauses that also void other nodes (a sibling or the parent): the input that says so and the ids. */
  voids?(rule: R, c: CriterionCtx): { key: string; label: string; ids: string[] }[];
  /** The values marked `setting` in this rule (本表设定): the clerk may change them on the 本表设定 sheet. */
  settings?(rule: R, c: CriterionCtx): SettingGroup | null;
  /** The most points this rule can ever give (for "cap can never be reached" and R19 checks); null when unbounded. */
  reach(rule: R, c: CriterionCtx): Dec | null;
}

export function defineKind<R extends { kind: string }>(def: KindDef<R>): KindDef<R> {
  return def;
}

export const key = (c: CriterionCtx, name: string): string => `${c.id}#${name}`;

/** The key of a setting: variant, criterion and the parameter's path in the rule (`county/s2.3.3@step.first`). */
export const settingKey = (variant: string, id: string, param: string): string => `${variant}/${id}@${param}`;

/** A rule figure: a plain number, or, where the rubric marks it a setting, the 本表设定 cell that holds it. */
export const figure = (c: CriterionCtx, param: string, value: number, mark: SettingMark | undefined): Expr =>
  (mark ? settingExpr(settingKey(c.variant, c.id, param), value) : num(value));
