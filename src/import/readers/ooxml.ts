/**
 * .docx and .xlsx bytes → grids, with JSZip and fast-xml-parser (no hand-rolled zip or XML). Runs in
 * Node and in the browser (bytes in, no file system).
 *  - .docx: every `w:tbl` of word/document.xml, merges from `w:gridSpan` (across) and `w:vMerge`
 *    (down: `restart` opens an area, a bare `w:vMerge` continues it); paragraphs outside tables are
 *    the text around them (titles, 注/说明).
 *  - .xlsx: every worksheet, merges from `mergeCells`, strings from sharedStrings.xml.
 * A covered cell of a merged area is '' and the area's text sits in its top-left cell (grid.ts).
 */
import JSZip from 'jszip';
import { XMLParser } from 'fast-xml-parser';
import { applyMerges, type Grid, type Merge } from '../grid';

export interface OoxmlTables {
  grids: Grid[];
  /** Text after the last table (and the whole text when there is no table). */
  after: string[];
}

type X = Record<string, any>;
const parser = new XMLParser({ preserveOrder: true, ignoreAttributes: false, attributeNamePrefix: '@_', trimValues: false, parseTagValue: false });

/** Numeric character references (&#10; for a line break, as LibreOffice writes them) left by the parser. */
const chars = (v: unknown): string =>
  String(v).replace(/&#(x[0-9a-fA-F]+|\d+);/g, (_, c: string) => String.fromCodePoint(c[0] === 'x' ? parseInt(c.slice(1), 16) : Number(c)));

const tagOf = (n: X): string => Object.keys(n).find((k) => k !== ':@') ?? '';
const kids = (n: X): X[] => (Array.isArray(n[tagOf(n)]) ? n[tagOf(n)] : []);
const attr = (n: X, a: string): string | undefined => n[':@']?.[`@_${a}`];

function find(nodes: X[], tag: string): X | undefined {
  for (const n of nodes) {
    if (tagOf(n) === tag) return n;
    const f = find(kids(n), tag);
    if (f) return f;
  }
  return undefined;
}

/** Text of a Word paragraph or cell: w:t runs, w:tab as a space, w:br as a line break. */
function wordText(nodes: X[]): string {
  let s = '';
  for (const n of nodes) {
    const t = tagOf(n);
    if (t === '#text') s += chars(n['#text']);
    else if (t === 'w:tab') s += ' ';
    else if (t === 'w:br' || t === 'w:cr') s += '\n';
    else if (t === 'w:p') s += (s && !s.endsWith('\n') ? '\n' : '') + wordText(kids(n));
    else if (t !== 'w:rPr' && t !== 'w:pPr' && t !== 'w:tcPr' && t !== 'w:instrText' && t !== 'w:delText') s += wordText(kids(n));
  }
  return s;
}

function docxTable(tbl: X): Grid {
  const rows: string[][] = [];
  const merges: Merge[] = [];
  const openDown = new Map<number, Merge>(); // column → the vertical merge it continues
  let r = 0;
  for (const tr of kids(tbl).filter((n) => tagOf(n) === 'w:tr')) {
    const row: string[] = [];
    let c = 0;
    for (const tc of kids(tr).filter((n) => tagOf(n) === 'w:tc')) {
      const pr = kids(tc).find((n) => tagOf(n) === 'w:tcPr');
      const span = Number((pr && attr(find(kids(pr), 'w:gridSpan') ?? {}, 'w:val')) ?? 1) || 1;
      const vm = pr ? find(kids(pr), 'w:vMerge') : undefined;
      const vmVal = vm ? attr(vm, 'w:val') ?? 'continue' : undefined;
      const text = wordText(kids(tc).filter((n) => tagOf(n) !== 'w:tcPr')).replace(/\s+$/, '');
      if (vmVal === 'continue' && openDown.has(c)) {
        const m = openDown.get(c)!;
        m.bottom = r;
        row[c] = '';
      } else {
        row[c] = text;
        if (vmVal === 'restart') {
          const m = { top: r, left: c, bottom: r, right: c + span - 1 };
          merges.push(m);
          openDown.set(c, m);
        } else openDown.delete(c);
        if (span > 1 && vmVal !== 'restart') merges.push({ top: r, left: c, bottom: r, right: c + span - 1 });
      }
      for (let k = 1; k < span; k++) row[c + k] = '';
      c += span;
    }
    rows.push(Array.from(row, (x) => x ?? ''));
    r++;
  }
  const width = Math.max(0, ...rows.map((x) => x.length));
  const full = rows.map((x) => [...x, ...new Array(width - x.length).fill('')]);
  // a row covered by one cell across the whole table is a section title
  const banner = full.map((row, i) => width > 2 && merges.some((m) => m.top === i && m.left === 0 && m.right >= width - 1) && row.slice(1).every((x) => !x));
  return { rows: applyMerges(full, merges), banner, lineOf: full.map((_, i) => i + 1) };
}

/** Read the tables of a .docx. Throws only on bytes that are not a .docx (the caller reports it). */
export async function readDocx(bytes: Uint8Array): Promise<OoxmlTables> {
  const zip = await JSZip.loadAsync(bytes);
  const file = zip.file('word/document.xml');
  if (!file) throw new Error('word/document.xml missing');
  const xml = parser.parse(await file.async('string')) as X[];
  const body = find(xml, 'w:body');
  const grids: Grid[] = [];
  let text: string[] = [];
  for (const n of body ? kids(body) : []) {
    const t = tagOf(n);
    if (t === 'w:p') {
      const s = wordText(kids(n)).trim();
      if (s) text.push(...s.split('\n'));
    } else if (t === 'w:tbl') {
      grids.push({ ...docxTable(n), around: text });
      text = [];
    }
  }
  return { grids, after: text };
}

// ------------------------------------------------------------------ .xlsx

function cellRef(ref: string): { r: number; c: number } {
  const m = /^([A-Z]+)(\d+)$/.exec(ref)!;
  let c = 0;
  for (const ch of m[1]) c = c * 26 + ch.charCodeAt(0) - 64;
  return { r: Number(m[2]) - 1, c: c - 1 };
}

function xlsxText(nodes: X[]): string {
  let s = '';
  for (const n of nodes) {
    const t = tagOf(n);
    if (t === '#text') s += chars(n['#text']);
    else if (t !== 'rPh' && t !== 'phoneticPr') s += xlsxText(kids(n));
  }
  return s;
}

/** Read every worksheet of a .xlsx as a grid. */
export async function readXlsx(bytes: Uint8Array): Promise<OoxmlTables> {
  const zip = await JSZip.loadAsync(bytes);
  const wb = zip.file('xl/workbook.xml');
  if (!wb) throw new Error('xl/workbook.xml missing');
  const rels = parser.parse((await zip.file('xl/_rels/workbook.xml.rels')?.async('string')) ?? '<Relationships/>') as X[];
  const relMap = new Map<string, string>();
  for (const rel of kids(find(rels, 'Relationships') ?? {})) if (tagOf(rel) === 'Relationship') relMap.set(attr(rel, 'Id') ?? '', attr(rel, 'Target') ?? '');
  const sstXml = await zip.file('xl/sharedStrings.xml')?.async('string');
  const sst = sstXml ? kids(find(parser.parse(sstXml) as X[], 'sst') ?? {}).filter((n) => tagOf(n) === 'si').map((si) => xlsxText(kids(si))) : [];
  const sheets = kids(find(parser.parse(await wb.async('string')) as X[], 'sheets') ?? {}).filter((n) => tagOf(n) === 'sheet');
  const grids: Grid[] = [];
  for (const sh of sheets) {
    const target = relMap.get(attr(sh, 'r:id') ?? '') ?? '';
    const path = target.startsWith('/') ? target.slice(1) : `xl/${target.replace(/^\.\//, '')}`;
    const f = zip.file(path);
    if (!f) continue;
    const ws = parser.parse(await f.async('string')) as X[];
    const rows: string[][] = [];
    const data = find(ws, 'sheetData');
    for (const row of data ? kids(data) : []) {
      if (tagOf(row) !== 'row') continue;
      for (const c of kids(row)) {
        if (tagOf(c) !== 'c') continue;
        const { r, c: col } = cellRef(attr(c, 'r') ?? 'A1');
        const type = attr(c, 't');
        const v = kids(c).find((n) => tagOf(n) === 'v');
        const is = kids(c).find((n) => tagOf(n) === 'is');
        let text = '';
        if (type === 's' && v) text = sst[Number(xlsxText(kids(v)))] ?? '';
        else if (type === 'inlineStr' && is) text = xlsxText(kids(is));
        else if (v) text = xlsxText(kids(v));
        (rows[r] ??= [])[col] = text;
      }
    }
    const width = Math.max(0, ...rows.filter(Boolean).map((x) => x.length));
    const full = Array.from(rows, (x) => Array.from({ length: width }, (_, i) => x?.[i] ?? ''));
    const merges: Merge[] = [];
    const mc = find(ws, 'mergeCells');
    for (const m of mc ? kids(mc) : []) {
      const ref = attr(m, 'ref');
      if (tagOf(m) !== 'mergeCell' || !ref || !ref.includes(':')) continue;
      const [a, b] = ref.split(':').map(cellRef);
      merges.push({ top: a.r, left: a.c, bottom: b.r, right: b.c });
    }
    const banner = full.map((row, i) => width > 2 && merges.some((m) => m.top === i && m.left === 0 && m.right >= width - 1) && row.slice(1).every((x) => !x));
    grids.push({ rows: applyMerges(full, merges), banner, lineOf: full.map((_, i) => i + 1), sheet: attr(sh, 'name') ?? '' });
  }
  return { grids, after: [] };
}
