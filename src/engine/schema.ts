/**
 * The rubric file format, defined once with zod. From this one definition come: the TypeScript types,
 * the loader's checks, and rubric.schema.json (npm run schema) that editors use to validate and
 * complete rubric files. Rule parameters come from the kinds registry.
 */
import { z } from 'zod';
import { KINDS } from './kinds';

/** Bounds on what a rubric may declare: figures a clerk's sheet can hold exactly in every spreadsheet application. */
export const MAX_POINTS = 1e6;
const Points = z.number().nonnegative().max(MAX_POINTS);
const Factor = z.number().min(0.001).max(MAX_POINTS);

const Id = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'ids use letters, digits, ".", "_" or "-"');

export const AppliesTo = z.strictObject({
  units: z.array(z.string()).optional().describe('Only these units (by name)'),
  tags: z.array(z.string()).optional().describe('Only units carrying one of these tags'),
  exceptUnits: z.array(z.string()).optional().describe('Every unit but these'),
}).describe('R21: the node concerns only some units; for the others it is not applicable (program policy decides its points)');

export const COLUMN_SOURCES = ['level1', 'level2', 'level3', 'level4', 'points1', 'points2', 'points3', 'points', 'method', 'content', 'text', 'target', 'index'] as const;
export const Column = z.strictObject({
  header: z.string().min(1).describe('The document\'s column header, verbatim (考核项目, 评分标准…)'),
  source: z.enum(COLUMN_SOURCES).describe('levelN: title of the node at depth N (merged over its rows); pointsN: its declared points; points: the criterion\'s; method/content/text/target: the nearest such field; index: 序号'),
  width: z.number().positive().optional().describe('Relative width hint'),
});

export const Cohort = z.strictObject({
  stat: z.enum(['min', 'mean']).describe('min: 按…最低得分计分; mean: 在平均分基础上…'),
  for: z.strictObject({
    tags: z.array(z.string()).optional().describe('Units carrying one of these tags are scored by the statistic'),
    exceptTags: z.array(z.string()).optional().describe('…unless they carry one of these'),
    flag: z.string().min(1).optional().describe('Or a 是/否 question asked of every unit (与样本框无关联的部门): 是 → scored by the statistic'),
  }).refine((f) => (f.flag === undefined) !== (f.tags === undefined), 'give either tags or a flag / 须给出 tags 或 flag 之一')
    .describe('Which units the clause scores (by tags or by a per-unit flag); the others keep their own lines'),
  among: z.strictObject({ tags: z.array(z.string()).optional() }).optional()
    .describe('The population: units of the variant carrying one of these tags (default: all). Units the clause scores, blanks, 不涉及 and incomplete entries never count'),
  offset: z.number().nonnegative().optional().describe('Taken off the statistic (下浮1分)'),
  reduce: z.strictObject({ label: z.string().min(1), max: z.number().positive().optional() }).optional()
    .describe('An amount the clerk enters and that is taken off the statistic (适当下浮)'),
  quote: z.string().optional(),
}).describe('A criterion scored, for some units, by the minimum or the mean of the other units\' points on it, floored at 0');

const nodeFields = {
  id: Id.describe('Stable id: entered values are matched to it when a rubric is corrected'),
  title: z.string().describe('Verbatim title cell (may be empty where the document has none)'),
  points: Points.nullable().optional().describe('Declared points (分值); the subtotal is capped at it'),
  role: z.enum(['base', 'bonus', 'penalty']).optional().describe('Top-level only: base (default), bonus (加分项) or penalty (扣分项)'),
  aggregate: z.enum(['sum', 'max']).optional().describe('sum of children (default) or take the highest child'),
  effect: z.enum(['add', 'subtract']).optional().describe('subtract: this item\'s amount is taken off its parent (R20 扣分项 inside a section)'),
  method: z.string().optional().describe('考核方式 verbatim'),
  content: z.string().optional().describe('考核内容 verbatim'),
  text: z.string().optional().describe('评分标准 / 扣分办法 verbatim'),
  target: z.string().optional().describe('考核对象 verbatim'),
  appliesTo: AppliesTo.optional(),
  na: z.boolean().optional().describe('Whether a clerk may type 不涉及 here; default: the program policy'),
  note: z.string().optional().describe('The rubric author\'s choice where the document is unclear, with a quote of the text that forced it'),
  cohort: Cohort.optional(),
  setting: z.string().optional().describe('A parameter this table sets that the document does not state (a rank table, a tier gap, a step): printed under the table as 本表设定，文件未规定'),
};

export type NodeIn<R> = {
  id: string; title: string; points?: number | null; role?: 'base' | 'bonus' | 'penalty'; aggregate?: 'sum' | 'max';
  effect?: 'add' | 'subtract'; method?: string; content?: string; text?: string; target?: string;
  appliesTo?: z.infer<typeof AppliesTo>; na?: boolean; note?: string; setting?: string; cohort?: z.infer<typeof Cohort>; rule?: R; children?: NodeIn<R>[];
};

function nodeSchema<R extends z.ZodType>(rule: R) {
  const Node: z.ZodType<NodeIn<z.infer<R>>> = z.lazy(() =>
    z.strictObject({ ...nodeFields, rule: rule.optional(), children: z.array(Node).optional() }),
  ) as never;
  return Node;
}

function programSchema<R extends z.ZodType>(rule: R) {
  const Node = nodeSchema(rule);
  const Variant = z.strictObject({
    id: Id,
    name: z.string().min(1).describe('Short name of who is assessed, e.g. 县直, 乡镇'),
    title: z.string().min(1).describe('The table\'s title verbatim'),
    annex: z.string().optional().describe('附件 number, e.g. 附件2'),
    unitLabel: z.string().default('被考核单位').describe('Label before the unit name on the sheet'),
    dateLabel: z.string().default('日期'),
    columns: z.array(Column).min(2),
    fullMark: Points.positive().optional().describe('百分制: the declared maximum of the base total'),
    orientation: z.enum(['portrait', 'landscape']).optional(),
    sections: z.array(Node).min(1),
    notes: z.array(z.string()).optional(),
    footnotes: z.array(z.string().min(1)).optional().describe('The official table\'s own footnotes (注：…), verbatim: printed under the table on every sheet of this variant'),
  });
  return z.strictObject({
    $schema: z.string().optional(),
    id: Id,
    version: z.string().regex(/^\d+\.\d+\.\d+$/, 'semantic version, e.g. 1.0.0'),
    title: z.string().min(1),
    issuer: z.string().min(1),
    docNo: z.string().optional().describe('文号'),
    year: z.number().int(),
    source: z.string().min(1).describe('The seed document this encodes'),
    notes: z.array(z.string()).optional().describe('Program-level choices of the rubric author, each with its quote'),
    policies: z.strictObject({
      notApplicable: z.strictObject({
        policy: z.enum(['full', 'rescale', 'zero']).describe('R22: full points; excluded and the base rescaled to the applicable maximum; or zero'),
        clerkMayMark: z.boolean().default(false).describe('Whether a clerk may type 不涉及 in a criterion\'s first input'),
        quote: z.string().optional(),
      }).default({ policy: 'full', clerkMayMark: false }),
      precision: z.number().int().min(0).max(6).default(2).describe('Decimals shown'),
      conversion: z.strictObject({ from: Factor, to: Factor, quote: z.string().optional() }).optional()
        .describe('R23: converted = final × to / from (满分100分折合2分)'),
      grades: z.array(z.strictObject({ min: z.number().min(-MAX_POINTS).max(MAX_POINTS), label: z.string().min(1) })).optional().describe('Grade bands, highest first'),
      netCap: Points.positive().optional().describe('R17: −netCap ≤ bonus − penalty ≤ netCap'),
      netCapQuote: z.string().optional(),
      rankScope: z.enum(['variant', 'program']).default('variant').describe('Who a unit is ranked against in the 汇总'),
      floorFinal: z.boolean().default(true).describe('The final score never goes below 0'),
      assessment: z.strictObject({
        self: z.boolean().optional().describe('A 自评 (self-assessment) column beside the assessor\'s entries'),
        raters: z.strictObject({
          count: z.number().int().min(2).max(20).describe('Raters (评委) scoring each unit'),
          aggregate: z.enum(['mean', 'trimmedMean']).describe('mean: the average; trimmedMean: 去掉一个最高分和一个最低分 (needs 3 raters or more)'),
          on: z.enum(['criterion', 'total']).describe('criterion: each criterion\'s points are averaged and subtotals computed from them; total: the raters\' totals are averaged'),
          spread: z.number().nonnegative().max(MAX_POINTS).optional().describe('A criterion whose raters differ by more than this is flagged (相差过大)'),
        }).refine((r) => r.aggregate !== 'trimmedMean' || r.count >= 3, 'trimmedMean needs count ≥ 3 / 去掉最高最低分须至少3名评委').optional()
          .describe('Several raters whose figures are averaged'),
      }).optional().describe('Who enters values: a self-assessment column and/or several raters (default: one assessor)'),
    }).default({ notApplicable: { policy: 'full', clerkMayMark: false }, precision: 2, rankScope: 'variant', floorFinal: true }),
    vetoes: z.array(z.strictObject({
      id: Id, label: z.string().min(1).describe('Short question on the sheet'), text: z.string().min(1).describe('Verbatim clause'),
    })).optional().describe('R25 一票否决: the score stands, the unit is marked 取消评优资格'),
    variants: z.array(Variant).min(1),
    units: z.array(z.strictObject({
      name: z.string().min(1), variant: Id, tags: z.array(z.string()).optional(), no: z.number().int().optional().describe('序号 in the document'),
    })).optional(),
  });
}

/** Rules are validated against their kind in the loader (precise messages); here, any object with a kind. */
export const LooseRule = z.looseObject({ kind: z.string() });
export const LooseProgram = programSchema(LooseRule);

/** The full schema: what `npm run schema` turns into rubric.schema.json. */
export const RuleSchema = z.discriminatedUnion('kind', KINDS.map((k) => k.schema) as never);
export const ProgramSchema = programSchema(RuleSchema);

export function rubricJsonSchema(): unknown {
  return z.toJSONSchema(ProgramSchema, { io: 'input', unrepresentable: 'any' });
}
