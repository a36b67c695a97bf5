/**
 * The data validation each cell of an .xlsx carries, read from the sheet XML as a spreadsheet reads
 * it: every reference in an entry's sqref (cells and ranges, space-separated; ECMA-376 Part 1
 * §18.3.1.32) takes the entry's rule, and a relative reference in its formulas moves with the cell's
 * offset from the entry's first cell (the top-left cell of its first range). ExcelJS hands every cell
 * the formula as written, so tests that compare formulas per cell read them here.
 */
import JSZip from 'jszip';

export interface CellValidation {
  type: string;
  operator: string;
  formulae: string[];
  allowBlank: boolean;
  showInputMessage: boolean;
  showErrorMessage: boolean;
  errorTitle: string;
  error: string;
  promptTitle: string;
  prompt: string;
}

const decode = (s: string): string => s.replace(/&(#x[0-9a-fA-F]+|#\d+|lt|gt|amp|quot|apos);/g, (_m, e: string) =>
  e === 'lt' ? '<' : e === 'gt' ? '>' : e === 'amp' ? '&' : e === 'quot' ? '"' : e === 'apos' ? "'" : String.fromCodePoint(e[1] === 'x' ? parseInt(e.slice(2), 16) : Number(e.slice(1))));

const colNum = (c: string): number => [...c].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0);
const colName = (n: number): string => { let s = ''; while (n > 0) { const m = (n - 1) % 26; s = String.fromCharCode(65 + m) + s; n = (n - 1 - m) / 26; } return s; };
const parseCell = (a: string): { col: number; row: number } => { const m = /^\$?([A-Z]+)\$?(\d+)$/.exec(a)!; return { col: colNum(m[1]), row: Number(m[2]) }; };

/** `formula` as it applies `dr` rows and `dc` columns away from the cell it was written for. */
export function shiftFormula(formula: string, dr: number, dc: number): string {
  if (!dr && !dc) return formula;
  return formula.split(/("(?:[^"]|"")*")/).map((p, i) => (i % 2 ? p : p.replace(/(?<![A-Za-z0-9_$.])(\$?)([A-Z]{1,3})(\$?)(\d+)(?![A-Za-z0-9_(])/g,
    (_m, d1: string, c: string, d2: string, r: string) => `${d1}${d1 ? c : colName(colNum(c) + dc)}${d2}${d2 ? r : Number(r) + dr}`))).join('');
}

/** Sheet name → cell address → its validation. */
export async function cellValidations(bytes: Uint8Array): Promise<Map<string, Map<string, CellValidation>>> {
  const zip = await JSZip.loadAsync(bytes);
  const wb = await zip.file('xl/workbook.xml')!.async('string');
  const rels = await zip.file('xl/_rels/workbook.xml.rels')!.async('string');
  const target = new Map([...rels.matchAll(/<Relationship\b[^>]*>/g)].map((m) => [/Id="([^"]+)"/.exec(m[0])![1], /Target="([^"]+)"/.exec(m[0])![1]]));
  const out = new Map<string, Map<string, CellValidation>>();
  for (const m of wb.matchAll(/<sheet\b[^>]*>/g)) {
    const name = decode(/name="([^"]*)"/.exec(m[0])![1]);
    const rid = /r:id="([^"]+)"/.exec(m[0])![1];
    const path = `xl/${target.get(rid)!.replace(/^\/?xl\//, '')}`;
    const xml = await zip.file(path)!.async('string');
    const cells = new Map<string, CellValidation>();
    for (const dv of xml.matchAll(/<dataValidation\b([^>]*?)(\/>|>([\s\S]*?)<\/dataValidation>)/g)) {
      const attrs = dv[1];
      const attr = (k: string): string | undefined => { const a = new RegExp(`\\b${k}="([^"]*)"`).exec(attrs); return a ? decode(a[1]) : undefined; };
      const body = dv[3] ?? '';
      const formulae = [1, 2].flatMap((i) => { const f = new RegExp(`<formula${i}>([\\s\\S]*?)</formula${i}>`).exec(body); return f ? [decode(f[1])] : []; });
      const refs = (attr('sqref') ?? '').split(/\s+/).filter(Boolean);
      const anchor = parseCell(refs[0].split(':')[0]);
      const yes = (k: string) => attr(k) === '1' || attr(k) === 'true';
      for (const ref of refs) {
        const [a, b] = ref.split(':').map(parseCell);
        const end = b ?? a;
        for (let r = a.row; r <= end.row; r++) for (let c = a.col; c <= end.col; c++) {
          cells.set(`${colName(c)}${r}`, {
            type: attr('type') ?? 'none', operator: attr('operator') ?? 'between',
            formulae: formulae.map((f) => shiftFormula(f, r - anchor.row, c - anchor.col)),
            allowBlank: yes('allowBlank'), showInputMessage: yes('showInputMessage'), showErrorMessage: yes('showErrorMessage'),
            errorTitle: attr('errorTitle') ?? '', error: attr('error') ?? '', promptTitle: attr('promptTitle') ?? '', prompt: attr('prompt') ?? '',
          });
        }
      }
    }
    out.set(name, cells);
  }
  return out;
}
