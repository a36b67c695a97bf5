/**
 * Test helper: .docx and .xlsx files built from grids, so fixtures are generated, never hand-made
 * binaries. The .docx carries real Word merges (w:gridSpan across, w:vMerge restart/continue down);
 * the .xlsx is written by ExcelJS with merged ranges. Blank cells under a filled one in `mergeCols`
 * become part of its merged area, as a pasted Word table has them.
 */
import ExcelJS from 'exceljs';
import JSZip from 'jszip';

export interface FixtureTable {
  before?: string[];
  rows: string[][];
  banner?: boolean[];
  /** Columns whose blank cells continue the cell above (name columns, 考核方式, 考核对象). */
  mergeCols?: number[];
  /** A header cell spanning the columns the header row lacks (指标名称 over two name columns). */
  headerSpan?: number;
}

/** The header row laid out on the grid: the spanning cell, then '' for the columns it covers. */
function headerCells(t: FixtureTable, width: number): { text: string; span: number }[] {
  const h = t.rows[0];
  const extra = width - h.length;
  return h.map((text, i) => ({ text, span: i === (t.headerSpan ?? -1) && extra > 0 ? 1 + extra : 1 }));
}

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const para = (s: string): string => `<w:p><w:r><w:t xml:space="preserve">${esc(s)}</w:t></w:r></w:p>`;

/** Vertical merge runs: [row, col] → 'restart' | 'continue'. */
function downMerges(t: FixtureTable): Map<string, 'restart' | 'continue'> {
  const out = new Map<string, 'restart' | 'continue'>();
  for (const c of t.mergeCols ?? []) {
    for (let r = 1; r < t.rows.length; r++) {
      if (t.banner?.[r] || t.rows[r][c]?.trim()) continue;
      let top = r - 1;
      while (top > 0 && out.get(`${top},${c}`) === 'continue') top--;
      if (top < 1 || t.banner?.[top] || !t.rows[top][c]?.trim()) continue;
      out.set(`${top},${c}`, 'restart');
      out.set(`${r},${c}`, 'continue');
    }
  }
  return out;
}

export async function docxFrom(tables: FixtureTable[], after: string[] = []): Promise<Uint8Array> {
  let body = '';
  for (const t of tables) {
    for (const b of t.before ?? []) body += para(b);
    const width = Math.max(...t.rows.map((r) => r.length));
    const dm = downMerges(t);
    body += `<w:tbl><w:tblPr><w:tblW w:w="0" w:type="auto"/></w:tblPr><w:tblGrid>${'<w:gridCol w:w="1500"/>'.repeat(width)}</w:tblGrid>`;
    t.rows.forEach((row, r) => {
      body += '<w:tr>';
      if (t.banner?.[r]) {
        body += `<w:tc><w:tcPr><w:gridSpan w:val="${width}"/></w:tcPr>${para(row[0])}</w:tc>`;
      } else if (r === 0 && row.length < width) {
        for (const h of headerCells(t, width)) body += `<w:tc>${h.span > 1 ? `<w:tcPr><w:gridSpan w:val="${h.span}"/></w:tcPr>` : ''}${para(h.text)}</w:tc>`;
      } else {
        for (let c = 0; c < width; c++) {
          const m = dm.get(`${r},${c}`);
          const pr = m ? `<w:tcPr>${m === 'restart' ? '<w:vMerge w:val="restart"/>' : '<w:vMerge/>'}</w:tcPr>` : '';
          const text = m === 'continue' ? '' : row[c] ?? '';
          body += `<w:tc>${pr}${text.split('\n').map(para).join('') || '<w:p/>'}</w:tc>`;
        }
      }
      body += '</w:tr>';
    });
    body += '</w:tbl>';
  }
  for (const a of after) body += para(a);
  const zip = new JSZip();
  zip.file('[Content_Types].xml', '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>');
  zip.file('_rels/.rels', '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>');
  zip.file('word/document.xml', `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>${body}<w:sectPr/></w:body></w:document>`);
  return zip.generateAsync({ type: 'uint8array' });
}

/** One worksheet per table: the text before it in column A above, notes after it below. */
export async function xlsxFrom(tables: FixtureTable[], after: string[] = []): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  tables.forEach((t, i) => {
    const ws = wb.addWorksheet(`表${i + 1}`);
    for (const b of t.before ?? []) ws.addRow([b]);
    const top = ws.rowCount + 1;
    const width = Math.max(...t.rows.map((r) => r.length));
    const dm = downMerges(t);
    t.rows.forEach((row, r) => {
      if (t.banner?.[r]) ws.addRow([row[0]]);
      else if (r === 0 && row.length < width) ws.addRow(headerCells(t, width).flatMap((h) => [h.text, ...new Array(h.span - 1).fill(null)]));
      else ws.addRow(row.map((c, k) => (dm.get(`${r},${k}`) === 'continue' ? null : c || null)));
    });
    t.rows.forEach((_, r) => {
      if (t.banner?.[r]) ws.mergeCells(top + r, 1, top + r, width);
    });
    if (t.rows[0].length < width && t.headerSpan !== undefined) {
      let c = 0;
      for (const h of headerCells(t, width)) {
        if (h.span > 1) ws.mergeCells(top, c + 1, top, c + h.span);
        c += h.span;
      }
    }
    for (const [key, v] of dm) {
      if (v !== 'restart') continue;
      const [r, c] = key.split(',').map(Number);
      let b = r + 1;
      while (dm.get(`${b},${c}`) === 'continue') b++;
      ws.mergeCells(top + r, c + 1, top + b - 1, c + 1);
    }
    if (i === tables.length - 1) for (const a of after) ws.addRow([a]);
  });
  return new Uint8Array(await wb.xlsx.writeBuffer());
}
