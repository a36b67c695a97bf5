/**
 * The 本表设定 sheet: every value the rubric sets that its document does not state (settings.ts in the engine),
 * one row each, with the criterion, the rubric's value, why the table sets it (zh-CN and English) and an unlocked
 * 设定值 cell the clerk may change. Its own sheet rather than a block on 汇总: settings belong to the table, not to
 * one unit's row; 汇总 is sorted, filtered and printed as the results, while this sheet prints as the table's
 * annex and stays put. The 计分采用 column is the value in force: the 设定值 when every setting of the criterion
 * is acceptable (a number in range, a table still in order), else the rubric's value — exactly what the engine's
 * readSettings decides. Unit sheets read 计分采用 (never a copy of the value).
 */
import { MAX_FIGURE, fmt, readSettings, settingsOf, withSettings, type Problem, type Program, type ProgramSetting, type Raw } from '../engine';
import { absAddr, addr, sheetRef } from './names';
import type { CellPlan, SheetPlan, Validation, WorkbookMeta } from './plan';
import type { KeptRow, UnmatchedInput } from './carry';
import { pageFooter } from './print';

export const SETTINGS_NAME = '本表设定';
export const SETTINGS_FIRST_ROW = 3;
/** Columns: 序号, 类别, 考核项目, 设定项, 说明, 本表原值, 设定值 (the clerk's), 计分采用, 状态, and the hidden state. */
export const SETTINGS_COLS = { no: 1, variant: 2, criterion: 3, label: 4, why: 5, rubric: 6, value: 7, used: 8, status: 9, state: 10 } as const;
const HEADERS = ['序号', '类别', '考核项目', '设定项', '说明 / Why', '本表原值', '设定值（可修改）', '计分采用', '状态'];

export type SettingsMeta = NonNullable<WorkbookMeta['settings']>;

const rowOf = (list: readonly ProgramSetting[], key: string): number => {
  const i = list.findIndex((s) => s.key === key);
  if (i < 0) throw new Error(`no setting ${key}`);
  return SETTINGS_FIRST_ROW + i;
};

/** The cell every formula reads for setting `key`: its 计分采用 value, absolute. */
export function settingRef(program: Program, key: string): string {
  return `${sheetRef(SETTINGS_NAME)}!${absAddr(rowOf(settingsOf(program), key), SETTINGS_COLS.used)}`;
}

const num = (n: number): string => fmt(n, 12);

/** 0 accepted, 1 blank, 2 not acceptable: the same test as the engine's (settings.ts ownProblem). */
function stateFormula(s: ProgramSetting, g: string): string {
  const conds = [`NOT(ISLOGICAL(${g}))`, s.positive ? `${g}>${num(s.min)}` : `${g}>=${num(s.min)}`, `${g}<=${s.max === null ? MAX_FIGURE : num(s.max)}`];
  return `IF(ISERROR(${g}),2,IF(LEN(TRIM(${g}))=0,1,IF(ISNUMBER(${g}),IF(AND(${conds.join(',')}),0,2),2)))`;
}

/** Whether every setting of the criterion is acceptable and its values keep their order (settings.ts readSettings). */
function groupOk(list: readonly ProgramSetting[], s: ProgramSetting): string {
  const states = s.group.map((k) => `${addr(rowOf(list, k), SETTINGS_COLS.state)}=0`);
  if (!s.order) return `AND(${states.join(',')})`;
  const term = (x: { key: string } | { value: number }) => ('key' in x ? addr(rowOf(list, x.key), SETTINGS_COLS.value) : num(x.value));
  const rel = s.order.dir === 'down' ? '>=' : '<=';
  const pairs = s.order.seq.slice(1).map((x, i) => `${term(s.order!.seq[i])}${rel}${term(x)}`);
  return `IF(AND(${states.join(',')}),AND(${pairs.join(',')}),FALSE())`;
}

function validation(s: ProgramSetting): Validation {
  const range = `${s.positive ? `大于${num(s.min)}` : num(s.min)}${s.max === null ? '以上' : `～${num(s.max)}`}`;
  const base = {
    allowBlank: true as const, promptTitle: s.mark.label.slice(0, 32), errorTitle: '输入有误',
    prompt: `本表设定，文件未规定：${s.mark.why}`.slice(0, 250), error: `请填写数字（${range}）；不合要求时本项按本表原值计`.slice(0, 225),
  };
  if (s.positive) return { ...base, type: 'custom', formulae: [`AND(ISNUMBER(G${0}),G${0}>${num(s.min)})`] };
  return s.max === null
    ? { ...base, type: 'decimal', operator: 'greaterThanOrEqual', formulae: [num(s.min)] }
    : { ...base, type: 'decimal', operator: 'between', formulae: [num(s.min), num(s.max)] };
}

/** Where each setting's 设定值 cell is, for messages. */
export function settingsWhere(program: Program): (key: string) => { sheet: string; cell: string } {
  const list = settingsOf(program);
  return (key) => ({ sheet: SETTINGS_NAME, cell: addr(rowOf(list, key), SETTINGS_COLS.value) });
}

/**
 * The clerk's 设定值 (cell contents by key, as read from a workbook or carried by an update) → the program to score
 * with and the problems of the cells refused. Keys the program no longer has are ignored here (carry.ts lists them).
 */
export function applySettings(program: Program, raw: Readonly<Record<string, Raw>> | undefined): { program: Program; problems: Problem[] } {
  if (!raw || !Object.keys(raw).length) return { program, problems: [] };
  const known = new Set(settingsOf(program).map((s) => s.key));
  const map = new Map(Object.entries(raw).filter(([k]) => known.has(k)));
  const r = readSettings(program, map, settingsWhere(program));
  return { program: withSettings(program, r.values), problems: r.problems };
}

/**
 * The sheet, with the 设定值 the clerk had (by key; the rubric's value where none) and the values in force
 * (`used`, the engine's reading) as the formulas' cached results. Null when the program sets nothing.
 */
export function planSettings(program: Program, raw: Readonly<Record<string, Raw>> = {}): { plan: SheetPlan; meta: SettingsMeta } | null {
  const list = settingsOf(program);
  if (!list.length) return null;
  const { program: scoring } = applySettings(program, raw);
  const used = new Map(settingsOf(scoring).map((s) => [s.key, s.value]));
  const variantName = (id: string) => program.variants.find((v) => v.id === id)?.name ?? id;
  const cells: CellPlan[] = [
    { row: 1, col: 1, style: 'title', value: '本表设定（评分细则未规定、由本表设定的参数；可修改“设定值”，各打分表按“计分采用”计分）' },
    ...HEADERS.map((h, i) => ({ row: 2, col: i + 1, style: 'header', value: h })),
  ];
  const validations: SheetPlan['validations'] = [];
  list.forEach((s, i) => {
    const row = SETTINGS_FIRST_ROW + i;
    const g = addr(row, SETTINGS_COLS.value);
    const given = Object.prototype.hasOwnProperty.call(raw, s.key) ? raw[s.key] : s.value;
    const value = given === undefined || given === null ? null : typeof given === 'boolean' ? (given ? 'TRUE' : 'FALSE') : given;
    const ok = groupOk(list, s);
    const inForce = used.get(s.key) ?? s.value;
    const state = value === null || value === '' ? 1 : typeof value === 'number' ? 0 : 2;
    const accepted = inForce === value;
    cells.push(
      { row, col: SETTINGS_COLS.no, style: 'index', value: i + 1 },
      { row, col: SETTINGS_COLS.variant, style: 'textCenter', value: variantName(s.variant) },
      { row, col: SETTINGS_COLS.criterion, style: 'text', value: `${s.criterionId} ${s.criterion}` },
      { row, col: SETTINGS_COLS.label, style: 'text', value: s.mark.label },
      { row, col: SETTINGS_COLS.why, style: 'label', value: `${s.mark.why}\n${s.mark.whyEn}` },
      { row, col: SETTINGS_COLS.rubric, style: 'textCenter', value: s.value },
      { row, col: SETTINGS_COLS.value, style: 'input', value, input: s.key },
      { row, col: SETTINGS_COLS.used, style: 'textCenter', formula: `IF(${ok},${g},${addr(row, SETTINGS_COLS.rubric)})`, cached: inForce, computed: `setting:${s.key}` },
      {
        row, col: SETTINGS_COLS.status, style: 'textCenter',
        formula: `IF(${addr(row, SETTINGS_COLS.state)}=1,"未填写，按本表原值计",IF(${addr(row, SETTINGS_COLS.state)}=2,"有误，按本表原值计",IF(${ok},"采用设定值","与同项设定次序不符，按本表原值计")))`,
        cached: state === 1 ? '未填写，按本表原值计' : state === 2 ? '有误，按本表原值计' : accepted ? '采用设定值' : '与同项设定次序不符，按本表原值计',
      },
      { row, col: SETTINGS_COLS.state, style: 'textCenter', formula: stateFormula(s, g), cached: state },
    );
    const v = validation(s);
    validations.push({ address: g, rule: v.type === 'custom' ? { ...v, formulae: [`AND(ISNUMBER(${g}),${g}>${num(s.min)})`] } : v });
  });
  const last = SETTINGS_FIRST_ROW + list.length - 1;
  return {
    plan: {
      name: SETTINGS_NAME,
      kind: 'summary',
      state: 'visible',
      columns: [{ width: 6 }, { width: 8 }, { width: 24 }, { width: 18 }, { width: 44 }, { width: 9 }, { width: 11 }, { width: 9 }, { width: 16 }, { width: 4, hidden: true }],
      rowHeights: [undefined, 36, 24],
      cells,
      merges: [{ top: 1, left: 1, bottom: 1, right: SETTINGS_COLS.status }],
      validations,
      protection: { selectLockedCells: true, selectUnlockedCells: true, formatColumns: true, formatRows: true, autoFilter: false },
      print: {
        paperSize: 9, orientation: 'landscape', fitToWidth: 1, fitToHeight: 0, printArea: `A$1:${addr(last, SETTINGS_COLS.status).replace(/(\d+)$/, '$$$1')}`,
        printTitlesRow: '2:2', margins: { left: 0.4, right: 0.4, top: 0.5, bottom: 0.5, header: 0.25, footer: 0.25 }, horizontalCentered: true,
        footer: pageFooter(1), firstPageNumber: 1, pages: 1,
      },
      conditional: [],
      tabColor: '7F6000',
    },
    meta: { sheet: SETTINGS_NAME, cells: list.map((s, i) => ({ key: s.key, address: addr(SETTINGS_FIRST_ROW + i, SETTINGS_COLS.value), label: s.mark.label })) },
  };
}

/**
 * 更新评分标准 / dafen update: the 设定值 the clerk changed (a cell that differs from the rubric it was made with)
 * go to the new version's cell of the same key; one the new version no longer has is kept aside (未匹配录入, unit
 * column 本表设定), and a value kept aside earlier returns when its key is back. An unchanged value is not carried:
 * the new version's own value applies (a correction of the rubric's setting takes effect).
 */
export function carrySettings(
  oldProgram: Program | null, newProgram: Program, raw: Readonly<Record<string, Raw>> | undefined, kept: readonly KeptRow[] = [],
): { settings: Record<string, Raw>; unmatched: UnmatchedInput[] } {
  const before = new Map((oldProgram ? settingsOf(oldProgram) : []).map((s) => [s.key, s]));
  const after = new Map(settingsOf(newProgram).map((s) => [s.key, s]));
  const settings: Record<string, Raw> = {};
  const unmatched: UnmatchedInput[] = [];
  const take = (key: string, value: Raw, label: string) => {
    if (after.has(key)) settings[key] = value;
    else unmatched.push({ unit: SETTINGS_NAME, variant: key.split('/')[0], key, label, value, reason: 'settingRemoved' });
  };
  for (const [key, value] of Object.entries(raw ?? {})) {
    const was = before.get(key) ?? (oldProgram ? undefined : after.get(key));
    if (was && value === was.value) continue;
    take(key, value, was ? `${was.criterionId} ${was.criterion}：${was.mark.label}` : key);
  }
  for (const k of kept) if (k.unit === SETTINGS_NAME && !(k.key in settings)) take(k.key, k.value, k.label ?? k.key);
  return { settings, unmatched };
}

/**
 * How many 本表设定 values a workbook holds that differ from its rubric's (what replacing the workbook would lose,
 * counted with its entries by `entriesHeld`'s callers): a value equal to the rubric's is not an entry.
 */
export function settingsChanged(program: Program | null, raw: Readonly<Record<string, Raw>> | undefined): number {
  if (!program || !raw) return 0;
  const r = carrySettings(program, program, raw);
  return Object.keys(r.settings).length + r.unmatched.length;
}
