/**
 * What `dafen <command> --help` prints, and the messages about how a command was called: a missing
 * argument named, an output that is not .xlsx refused. (A file that is not an .xlsx workbook — old .xls,
 * CSV, an empty file — is named by the reader, src/xlsx/read.ts inspectPackage, for the CLI and the task
 * pane alike.) zh-CN first, then English, as everywhere in the CLI.
 */

export type Command = 'validate' | 'eval' | 'make' | 'score' | 'summary' | 'update' | 'import' | 'split' | 'merge';

export const COMMANDS: readonly Command[] = ['validate', 'eval', 'make', 'score', 'summary', 'update', 'import', 'split', 'merge'];

const FORCE = `  --force                    输出文件已存在时替换它（已填写录入的打分表不会被替换，请用 dafen update）
                             / replace an existing output file (never a workbook holding entries: use dafen update)`;

const HELP: Record<Command, string> = {
  validate: `用法 / usage: dafen validate [评分细则.yaml …]

检查评分细则文件：格式、分值是否相加一致、规则参数；每个问题给出行号和修改建议。
不给文件时检查 rubrics/ 下全部文件。
Checks rubric files (format, points adding up, rule parameters); every problem with its line.
Without files, checks every file in rubrics/.

退出码 / exit code: 0 无错误 / no errors, 1 有错误 / errors found`,
  eval: `用法 / usage: dafen eval <评分细则.yaml> --inputs <录入.json> [--json]

不用工作簿，直接按评分细则给录入文件中的各单位计分并排名。
Scores the units of an inputs file against a rubric, without a workbook.

  --inputs <file>   录入文件 / the inputs file: { "units": { "<单位>": { "<录入项编号>": 值 } } }
  --json            以 JSON 输出（每个单位的得分、各项说明、录入问题） / output JSON

录入有误的单位不算完成（"complete": false）；有误的录入按未填处理，并在 problems 中说明。
A unit with a rejected input is not complete; the rejected value counts as blank and is explained in problems.`,
  make: `用法 / usage: dafen make <评分细则.yaml> -o <输出.xlsx> [选项 / options]

生成打分表工作簿：汇总表 + 每个单位一张打分表（可在 Excel、WPS、LibreOffice 中填写和打印）。
Makes the scoring workbook: the 汇总 sheet and one 打分表 per unit.

  -o, --output <file.xlsx>   输出文件，必须是 .xlsx / the output, an .xlsx file
  --unit <单位[:标签,…]>     只生成这些单位（可重复；名单外的单位用 --variant 指定类别） / only these units (repeatable)
  --all-units                评分细则所列全部单位（默认） / every listed unit (the default)
  --variant <类别>           只生成此类别的单位 / only units of this variant
  --date YYYY-MM-DD          考核时间，印在每张表上 / the assessment date printed on every sheet
  --sort document|variant|name   单位顺序：原文顺序、按类别、按名称 / order of the sheets
  --self                     加一列自评（自评得分与考核得分并列，不一致处标出差异） / add a 自评 (self-assessment) column
  --raters <n>               n 名评委分别打分（n ≥ 2），考核得分取评委平均 / n raters; the unit's points are their mean
  --aggregate mean|trimmed   平均，或去掉一个最高分和一个最低分后平均（须 ≥ 3 名评委） / plain mean, or trimmed (≥ 3 raters)
  --on criterion|total       逐项平均后再小计（默认），或按总分平均 / average each criterion (default) or the totals
  --spread <分>              评委分差超过此值的项目标出“相差过大” / flag criteria whose raters differ by more than this
                             （不给时按评分细则 policies.assessment / default: the rubric's policies.assessment）
${FORCE}`,
  score: `用法 / usage: dafen score <已填写.xlsx> [--json] [-o <修正后.xlsx>] [--rubric <评分细则.yaml>]

读取已填写的打分表工作簿，按评分细则重新计分；录入问题和被改动的公式按工作表和单元格指出。
Re-scores a filled workbook; input problems and overwritten formulas are named by sheet and cell.

  --json                    以 JSON 输出（含各单位的扣分依据/说明） / output JSON (with each unit's 扣分依据/说明)
  -o, --output <file.xlsx>  写出修正后的工作簿（录入和扣分依据保留，公式重写）；必须是 .xlsx，不会覆盖原文件
                            / write the repaired copy (inputs and reasons kept, formulas rewritten); .xlsx only
  --rubric <file>           评分细则文件（默认按工作簿记录的编号和版本查找，找不到时用工作簿内嵌的细则）
                            / the rubric (default: found by the workbook's id and version, or the copy it carries)
${FORCE}

退出码 / exit code: 0 一致 / agrees, 1 有错误 / errors found, 2 用法错误 / usage error`,
  summary: `用法 / usage: dafen summary <已填写.xlsx> [--rubric <评分细则.yaml>]

打印已填写工作簿的排名汇总表（名次、单位、类别、各项得分、状态）。
Prints the ranking table of a filled workbook.

  --rubric <file>   评分细则文件（同 dafen score） / the rubric (as for dafen score)`,
  update: `用法 / usage: dafen update <已填写.xlsx> --rubric <新评分细则.yaml> -o <新.xlsx> [--force]

评分细则更正或换版后，按新细则生成打分表，并把原工作簿中的录入和扣分依据/说明按含义带过去
（同一录入项编号；否则按移动后的扣分行）；带不过去的保留在“未匹配录入”工作表中，一项不丢。原工作簿不改动。
Makes the workbook for a corrected rubric and carries every entry and 扣分依据/说明 over by what it means
(same key, else the moved line); what cannot be carried is kept on the 未匹配录入 sheet. The old workbook is not touched.

  --rubric <file>           新的评分细则文件（同一考核方案，可为新版本） / the new rubric (same program, any version)
  -o, --output <file.xlsx>  新工作簿，必须是 .xlsx，不能是原文件 / the new workbook, .xlsx, not the old file
${FORCE}

退出码 / exit code: 0 已写出 / written, 1 有错误 / errors found, 2 用法错误 / usage error`,
  import: `用法 / usage: dafen import <评分细则.docx|.xlsx|.txt> [-o <评分细则.yaml|评分细则.xlsx>] [--json] [--report]

读取评分细则表格（.docx 含合并单元格、.xlsx，或每格一行的文本），生成评分细则文件；
读不准的评分标准标为“需确认”，请核对。不给 -o 时把 YAML 打印出来。
Reads a 评分细则 table and writes a rubric file; every criterion whose reading is not certain is marked 需确认.
Without -o the YAML is printed.

  -o, --out <file.yaml>   写出评分细则文件 / write the rubric file
  -o, --out <file.xlsx>   写出“评分细则”表（每条一行，计分方式、参数可改）；改好后 dafen make / dafen validate
                          直接读取它，dafen import 它得到 YAML / write the 评分细则 sheet to edit; make,
                          validate and import read it back
  --json                  以 JSON 输出评分细则 / print the rubric as JSON
  --report                逐条列出编号、分值、计分方式、参数、可信度和需确认事项
                          / one line per criterion: id, points, kind, parameters, confidence, what to confirm

退出码 / exit code: 0 已生成 / done, 1 有错误 / errors found, 2 用法错误 / usage error`,
  split: `用法 / usage: dafen split <打分表.xlsx> -o <文件夹> [--by unit|rater] [--force]

分发：按单位（每个单位一份，只含本单位，供其自评）或按评委（每位评委一份，含全部单位）写出小工作簿，
每份带评分细则、单位、填写人和分发标识；收集时（dafen merge）按标识核对。打分表本身不改动。
Sends out pieces: one workbook per unit (that unit only, for its self-assessment) or per rater (every unit),
each carrying the rubric, the unit(s), the hand and an identity dafen merge checks. The master is not touched.

  -o, --output <folder>   存放分发文件的文件夹（不存在时新建） / the folder for the pieces (made when missing)
  --by unit|rater         unit：各单位自评（需自评列）；rater：各评委（需多名评委）；默认按打分表的列
                          / unit: self-assessment per unit; rater: one per rater; default: from the workbook's columns
  --force                 替换文件夹中同名的空白分发文件（已有录入的文件不会被替换）
                          / replace pieces of the same name in the folder (never one holding entries)

退出码 / exit code: 0 已写出 / written, 1 有错误 / errors found, 2 用法错误 / usage error`,
  merge: `用法 / usage: dafen merge <打分表.xlsx> <交回的文件.xlsx…> -o <合并后.xlsx> [--json] [--piece-wins] [--force]

收集：把交回的分发文件中的录入和扣分依据/说明按单位、填写人和录入项并入打分表，写出新的工作簿，逐个文件报告取了什么。
与打分表中已有值不同的录入是冲突：列出两个值，保留打分表中的值。按另一版本评分细则填写的文件按评分项转入，
转不过去的保留在“未匹配录入”。不是打分分发的文件、另一份打分表的文件、重复的文件、标识被改动的文件都拒收并说明原因。
原打分表不改动。
Collects the returned pieces: every entry and 扣分依据/说明 goes to its unit, hand and input in a NEW workbook, with a
report per file. A value differing from one the workbook holds is a conflict, listed with both values; the workbook's
is kept. A piece of another rubric version is carried by criterion (the rest kept on 未匹配录入). Foreign files, pieces
of another workbook, duplicates and altered identities are refused with the reason. The master is not touched.

  -o, --output <file.xlsx>  合并后的新工作簿，必须是 .xlsx，不能是输入文件 / the merged workbook, .xlsx, not an input
  --json                    以 JSON 输出报告 / print the report as JSON
  --piece-wins              冲突时采用交回的值（默认保留打分表中的值） / on a conflict take the returned value
${FORCE}

退出码 / exit code: 0 已写出 / written, 1 有文件被拒收或有错误 / a file refused or errors, 2 用法错误 / usage error`,
};

export const isCommand = (s: string | undefined): s is Command => (COMMANDS as readonly string[]).includes(s ?? '');

/** `--help` or `-h` anywhere among a command's arguments. */
export const wantsHelp = (args: readonly string[]): boolean => args.includes('--help') || args.includes('-h');

export const commandHelp = (cmd: Command): string => HELP[cmd];

/** What is missing from `dafen eval …`, or null. */
export function evalArgsProblem(file: string | undefined, inputsFile: string | undefined): string | null {
  if (!file && !inputsFile) return '缺少评分细则文件和 --inputs 录入文件 / the rubric file and --inputs are missing';
  if (!file) return '缺少评分细则文件 / the rubric file is missing';
  if (!inputsFile) return '缺少 --inputs <录入.json>（各单位的录入值） / --inputs <inputs.json> is missing';
  return null;
}

/** An .xlsx workbook is written only to a file named .xlsx. */
export function outputProblem(out: string): string | null {
  if (/\.xlsx$/i.test(out)) return null;
  return `只能写出 .xlsx 工作簿，输出文件“${out}”应以 .xlsx 结尾 / an .xlsx workbook is written only to an .xlsx file, not "${out}"`;
}

/** `✓ out.xlsx：40 个单位（县直 31、乡镇 9）` — one variant is named without a count. */
export function unitsByVariantText(byVariant: readonly (readonly [string, number])[]): string {
  if (byVariant.length === 1) return `（${byVariant[0][0]}）`;
  return `（${byVariant.map(([n, c]) => `${n} ${c}`).join('、')}）`;
}
