/**
 * Workbook metadata (program id, version, content hash, the cell map) stored as JSON in the cells of
 * a very hidden sheet. Plain cells survive Excel, WPS and LibreOffice round trips, where custom XML
 * parts and custom properties may not. A cell holds at most 32767 characters, so the JSON is chunked.
 */
import { loadProgram, type Program } from '../engine';
import { contentHash } from './hash';
import type { SheetMeta, SheetPlan, WorkbookMeta } from './plan';

export const META_SHEET = '_dafen';
export const META_FORMAT = 'dafen-workbook';
const CHUNK = 30000;

/**
 * Stored form: sheets that share one layout (same variant, same applicable criteria) share one entry
 * of `layouts` (marker column, inputs, cells), so 40 units of two variants store two maps, not 40.
 */
interface Stored extends Omit<WorkbookMeta, 'sheets'> {
  sheets: (Omit<SheetMeta, 'markerCol' | 'inputs' | 'cells' | 'remarks'> & { layout: number })[];
  layouts: Pick<SheetMeta, 'markerCol' | 'inputs' | 'cells' | 'remarks'>[];
}

function pack(meta: WorkbookMeta): Stored {
  const layouts: Stored['layouts'] = [];
  const keys = new Map<string, number>();
  const same = new Map<object, number>();
  const sheets = meta.sheets.map(({ markerCol, inputs, cells, remarks, ...rest }) => {
    // Shared layouts share their arrays; compare by content only when they do not.
    const known = same.get(inputs);
    if (known !== undefined && layouts[known].cells === cells && layouts[known].markerCol === markerCol && layouts[known].remarks === remarks) return { ...rest, layout: known };
    const k = JSON.stringify([markerCol, inputs, cells, remarks ?? null]);
    let i = keys.get(k);
    if (i === undefined) {
      i = layouts.length;
      layouts.push({ markerCol, inputs, cells, ...(remarks ? { remarks } : {}) });
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

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStr = (v: unknown): v is string => typeof v === 'string';

/** Reads the metadata back from column A of the meta sheet (A1 header, then chunks); checks its shape. */
export function decodeMeta(column: (string | undefined)[]): MetaDecode {
  let head: unknown;
  try {
    head = JSON.parse(column[0] ?? '');
  } catch {
    return { error: 'header is not JSON' };
  }
  if (!isObj(head) || head.format !== META_FORMAT || typeof head.chunks !== 'number') return { error: 'header is not a Dafen header' };
  if (head.formatVersion !== 1) return { error: `format version ${String(head.formatVersion)} is newer than this reader` };
  const parts = column.slice(1, 1 + head.chunks);
  if (parts.length !== head.chunks || parts.some((p) => !isStr(p))) return { error: 'metadata chunks missing' };
  let meta: unknown;
  try {
    meta = JSON.parse(parts.join(''));
  } catch {
    return { error: 'metadata is not JSON' };
  }
  if (!isObj(meta) || meta.format !== META_FORMAT || !isObj(meta.program) || !isStr(meta.program.id) || !isStr(meta.program.version)
    || !isStr(meta.contentHash) || !isObj(meta.summary) || !Array.isArray(meta.sheets) || !Array.isArray(meta.layouts)) return { error: 'metadata fields missing' };
  for (const s of meta.sheets as unknown[]) if (!isObj(s) || typeof s.layout !== 'number') return { error: 'sheet map malformed' };
  const full = unpack(meta as unknown as Stored);
  if (!full) return { error: 'sheet map malformed' };
  for (const s of full.sheets as unknown[]) {
    if (!isObj(s) || !isStr(s.name) || !isStr(s.unit) || !isStr(s.variant) || !isStr(s.markerCol) || !Array.isArray(s.inputs) || !Array.isArray(s.cells)) {
      return { error: 'sheet map malformed' };
    }
  }
  return { meta: full };
}

/**
 * The rubric a workbook carries (WorkbookMeta.rubric), loaded and checked: the same id and version as
 * the metadata says and the same content hash, or null (an older workbook without one, or a damaged one).
 */
export function embeddedProgram(meta: WorkbookMeta): Program | null {
  if (!meta.rubric) return null;
  const { program } = loadProgram(meta.rubric);
  if (!program || program.id !== meta.program.id || program.version !== meta.program.version) return null;
  return contentHash(program) === meta.contentHash ? program : null;
}
