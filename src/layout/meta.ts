/**
 * Workbook metadata (program id, version, content hash, the cell map) stored as JSON in the cells of
 * a very hidden sheet. Plain cells survive Excel, WPS and LibreOffice round trips, where custom XML
 * parts and custom properties may not. A cell holds at most 32767 characters, so the JSON is chunked.
 */
import { z } from 'zod';
import { loadProgram, type Program } from '../engine';
import { colNumber, parseAddr } from './names';
import { sha256Text } from './hash';
import type { SheetMeta, SheetPlan, SummaryColumn, WorkbookMeta } from './plan';

export const META_SHEET = '_dafen';
export const META_FORMAT = 'dafen-workbook';
const CHUNK = 30000;

/**
 * Stored form: sheets that share one layout (same variant, same applicable criteria) share one entry
 * of `layouts` (marker column, inputs, cells), so 40 units of two variants store two maps, not 40.
 */
interface Stored extends Omit<WorkbookMeta, 'sheets'> {
  sheets: (Omit<SheetMeta, 'markerCol' | 'inputs' | 'cells' | 'remarks' | 'hands'> & { layout: number })[];
  layouts: Pick<SheetMeta, 'markerCol' | 'inputs' | 'cells' | 'remarks' | 'hands'>[];
}

function pack(meta: WorkbookMeta): Stored {
  const layouts: Stored['layouts'] = [];
  const keys = new Map<string, number>();
  const same = new Map<object, number>();
  const sheets = meta.sheets.map(({ markerCol, inputs, cells, remarks, hands, ...rest }) => {
    // Shared layouts share their arrays; compare by content only when they do not.
    const known = same.get(inputs);
    if (known !== undefined && layouts[known].cells === cells && layouts[known].markerCol === markerCol && layouts[known].remarks === remarks && layouts[known].hands === hands) return { ...rest, layout: known };
    const k = JSON.stringify([markerCol, inputs, cells, remarks ?? null, ...(hands ? [hands] : [])]);
    let i = keys.get(k);
    if (i === undefined) {
      i = layouts.length;
      layouts.push({ markerCol, inputs, cells, ...(remarks ? { remarks } : {}), ...(hands ? { hands } : {}) });
      keys.set(k, i);
    }
    same.set(inputs, i);
    return { ...rest, layout: i };
  });
  return { ...meta, sheets, layouts };
}

function unpack(s: Stored): WorkbookMeta | null {
  const sheets: SheetMeta[] = [];
  for (const { layout, ...rest } of s.sheets) {
    const l = s.layouts[layout];
    if (!l) return null;
    sheets.push({ ...rest, ...l });
  }
  const { layouts: _l, ...meta } = s;
  void _l;
  return { ...meta, sheets };
}

export function metaSheet(meta: WorkbookMeta): SheetPlan {
  const json = JSON.stringify(pack(meta));
  const chunks: string[] = [];
  for (let i = 0; i < json.length; i += CHUNK) chunks.push(json.slice(i, i + CHUNK));
  const head = JSON.stringify({ format: META_FORMAT, formatVersion: meta.formatVersion, chunks: chunks.length });
  return {
    name: META_SHEET,
    kind: 'meta',
    state: 'veryHidden',
    columns: [{ width: 20 }],
    rowHeights: [],
    cells: [{ row: 1, col: 1, style: 'meta', value: head }, ...chunks.map((c, i) => ({ row: i + 2, col: 1, style: 'meta', value: c }))],
    merges: [],
    validations: [],
    protection: null,
    print: null,
    conditional: [],
  };
}

export type MetaDecode = { meta: WorkbookMeta; error?: undefined } | { meta?: undefined; error: string };

/** Excel's (and LibreOffice's) grid: 1,048,576 rows, 16,384 columns (XFD). */
export const MAX_ROW = 1048576;
export const MAX_COL = 16384;
/** A sheet name is at most 31 characters (Excel). */
const MAX_SHEET_NAME = 31;

const Col = z.string().regex(/^[A-Z]{1,3}$/, 'not a column letter').refine((c) => !/^[A-Z]{1,3}$/.test(c) || colNumber(c) <= MAX_COL, 'beyond column XFD');
const Row = z.number().int().min(1).max(MAX_ROW);
const ADDRESS = /^[A-Z]{1,3}[1-9]\d{0,6}$/;
const Address = z.string().regex(ADDRESS, 'not a cell address').refine((a) => {
  if (!ADDRESS.test(a)) return true; // said by the regex above
  const { row, col } = parseAddr(a);
  return row <= MAX_ROW && col <= MAX_COL;
}, 'beyond the last row or column');
const SUMMARY_COLUMNS = ['no', 'unit', 'variant', 'base', 'bonus', 'penalty', 'final', 'converted', 'rank', 'grade', 'veto', 'status'] as const satisfies readonly SummaryColumn[];

/**
 * The whole stored metadata, checked as strictly as a rubric: a clerk (or anyone) may have edited the
 * `_dafen` sheet, and every figure in it decides where the reader looks. Unknown fields pass through
 * (a newer writer may add some); known ones must have their shape and stay inside the sheet's grid.
 */
const StoredSchema = z.looseObject({
  format: z.literal(META_FORMAT),
  formatVersion: z.literal(1),
  program: z.looseObject({ id: z.string().min(1), version: z.string().min(1), title: z.string() }),
  contentHash: z.string().min(1),
  rubric: z.string().optional(),
  generator: z.string(),
  hands: z.array(z.string().regex(/^(assessor|self|rater[1-9]\d*)$/, 'not a hand')).min(1).refine((h) => new Set(h).size === h.length, 'a hand given twice').optional(),
  workbookId: z.string().min(1).max(100).optional(),
  assessment: z.looseObject({
    self: z.boolean().optional(),
    raters: z.looseObject({
      count: z.number().int().min(2).max(20), aggregate: z.enum(['mean', 'trimmedMean']), on: z.enum(['criterion', 'total']), spread: z.number().nonnegative().optional(),
    }).optional(),
  }).optional(),
  options: z.looseObject({ date: z.string().optional(), sort: z.enum(['document', 'variant', 'name']) }),
  summary: z.looseObject({
    sheet: z.string().min(1).max(MAX_SHEET_NAME),
    firstRow: Row,
    lastRow: Row,
    cols: z.partialRecord(z.enum(SUMMARY_COLUMNS), Col),
    rankCols: z.record(z.string(), Col),
  }).refine((s) => s.firstRow <= s.lastRow, { message: 'firstRow is after lastRow', path: ['lastRow'] }),
  sheets: z.array(z.looseObject({
    index: z.number().int().min(0),
    name: z.string().min(1).max(MAX_SHEET_NAME),
    unit: z.string().min(1),
    variant: z.string().min(1),
    tags: z.array(z.string()).optional(),
    summaryRow: Row,
    layout: z.number().int().min(0),
  })).min(1, 'no unit sheets'),
  layouts: z.array(z.looseObject({
    markerCol: Col,
    inputs: z.array(z.looseObject({ key: z.string().min(1), criterionId: z.string(), address: Address, label: z.string() })),
    cells: z.array(z.looseObject({ id: z.string().min(1), address: Address, kind: z.enum(['criterion', 'subtotal', 'total', 'veto', 'status']) })),
    remarks: z.array(z.looseObject({ id: z.string().min(1), address: Address })).optional(),
    hands: z.array(z.looseObject({
      hand: z.string().regex(/^(assessor|self|rater[1-9]\d*)$/, 'not a hand'),
      inputs: z.array(z.looseObject({ key: z.string().min(1), address: Address })),
      cells: z.array(z.looseObject({ id: z.string().min(1), address: Address })),
    })).optional(),
  })).min(1),
}).superRefine((m, ctx) => {
  // The hands and the policy agree: raters' columns need the raters policy, with as many raters.
  const raters = (m.hands ?? []).filter((h) => h.startsWith('rater')).length;
  if (raters && raters !== m.assessment?.raters?.count) ctx.addIssue({ code: 'custom', path: ['assessment'], message: `${raters} rater columns, policy says ${m.assessment?.raters?.count ?? 'none'}` });
  const seen = { index: new Map<number, number>(), name: new Map<string, number>(), unit: new Map<string, number>(), row: new Map<number, number>() };
  m.sheets.forEach((s, i) => {
    const dup = (what: keyof typeof seen, key: never, field: string) => {
      const first = (seen[what] as Map<unknown, number>).get(key);
      if (first !== undefined) ctx.addIssue({ code: 'custom', path: ['sheets', i, field], message: `same as sheets[${first}]` });
      else (seen[what] as Map<unknown, number>).set(key, i);
    };
    if (s.index !== i) ctx.addIssue({ code: 'custom', path: ['sheets', i, 'index'], message: `is ${s.index}, should be ${i}` });
    dup('index', s.index as never, 'index');
    dup('name', s.name.toLowerCase() as never, 'name');
    dup('unit', s.unit as never, 'unit');
    dup('row', s.summaryRow as never, 'summaryRow');
    if (s.layout >= m.layouts.length) ctx.addIssue({ code: 'custom', path: ['sheets', i, 'layout'], message: 'no such layout' });
    if (s.summaryRow < m.summary.firstRow || s.summaryRow > m.summary.lastRow) ctx.addIssue({ code: 'custom', path: ['sheets', i, 'summaryRow'], message: 'outside the summary rows' });
  });
  m.layouts.forEach((l, li) => {
    const keys = new Set<string>();
    const where = new Set<string>();
    const add = (a: string, k: string, path: (string | number)[]) => {
      if (keys.has(k) || where.has(a)) ctx.addIssue({ code: 'custom', path, message: `${k} at ${a} given twice` });
      keys.add(k);
      where.add(a);
    };
    l.inputs.forEach((x, i) => add(x.address, `in:${x.key}`, ['layouts', li, 'inputs', i]));
    l.cells.forEach((x, i) => add(x.address, `out:${x.id}`, ['layouts', li, 'cells', i]));
    l.remarks?.forEach((x, i) => add(x.address, `remark:${x.id}`, ['layouts', li, 'remarks', i]));
  });
});

const issuePath = (path: readonly PropertyKey[]): string =>
  path.reduce<string>((acc, seg) => (typeof seg === 'number' ? `${acc}[${seg}]` : acc ? `${acc}.${String(seg)}` : String(seg)), '');

/** Reads the metadata back from column A of the meta sheet (A1 header, then chunks); checks all of it. */
export function decodeMeta(column: (string | undefined)[]): MetaDecode {
  let head: unknown;
  try {
    head = JSON.parse(column[0] ?? '');
  } catch {
    return { error: 'header is not JSON' };
  }
  if (!isObj(head) || head.format !== META_FORMAT || typeof head.chunks !== 'number') return { error: 'header is not a Dafen header' };
  if (head.formatVersion !== 1) return { error: `format version ${String(head.formatVersion)} is newer than this reader` };
  if (!Number.isInteger(head.chunks) || head.chunks < 1 || head.chunks > column.length) return { error: 'metadata chunks missing' };
  const parts = column.slice(1, 1 + head.chunks);
  if (parts.length !== head.chunks || parts.some((p) => !isStr(p))) return { error: 'metadata chunks missing' };
  let meta: unknown;
  try {
    meta = JSON.parse(parts.join(''));
  } catch {
    return { error: 'metadata is not JSON' };
  }
  const r = StoredSchema.safeParse(meta);
  if (!r.success) {
    const shown = r.error.issues.slice(0, 3).map((i) => `${issuePath(i.path) || '(top)'}: ${i.message}`);
    const more = r.error.issues.length > 3 ? `; +${r.error.issues.length - 3}` : '';
    return { error: `${shown.join('; ')}${more}` };
  }
  const full = unpack(meta as Stored);
  if (!full) return { error: 'sheet map malformed' };
  return { meta: full };
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStr = (v: unknown): v is string => typeof v === 'string';

/**
 * The rubric a workbook carries (WorkbookMeta.rubric), loaded and checked: the carried text is the one
 * whose hash the metadata records, and it has the id and version the metadata says; or null (an older
 * workbook without one, or a damaged one). The text is checked, not the program loaded from it: a later
 * loader may fill in fields the writer's loader did not have (new defaults), which changes
 * contentHash(program) but not what the workbook was made with.
 */
export function embeddedProgram(meta: WorkbookMeta): Program | null {
  if (!meta.rubric) return null;
  if (sha256Text(meta.rubric) !== meta.contentHash) return null;
  const { program } = loadProgram(meta.rubric);
  if (!program || program.id !== meta.program.id || program.version !== meta.program.version) return null;
  return program;
}
