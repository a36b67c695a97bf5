/**
 * What the collect tests do to files as units, raters and mistakes would: fill a piece's entry cells
 * (and a 扣分依据) as a clerk types them, and edit the hidden identity as someone tampering would.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { loadProgram, type Program, type Raw } from '../../src/engine';
import { decodeMeta, META_SHEET, type WorkbookMeta } from '../../src/layout';
import { ROOT } from '../layout/helpers';

export const TAIQIAN = join(ROOT, 'rubrics', 'taiqian-2018.yaml');
export const taiqianText = (): string => readFileSync(TAIQIAN, 'utf8');
export const taiqian = (text = taiqianText()): Program => loadProgram(text, TAIQIAN).program!;

async function load(bytes: Uint8Array): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  return wb;
}

function metaOf(wb: ExcelJS.Workbook): WorkbookMeta {
  const ws = wb.getWorksheet(META_SHEET)!;
  const col: string[] = [];
  for (let r = 1; r <= ws.rowCount; r++) col.push(String(ws.getCell(r, 1).value ?? ''));
  const d = decodeMeta(col);
  if (!d.meta) throw new Error(d.error);
  return d.meta;
}

/** Types values (by unit and input key) and 扣分依据 (by unit and criterion id) into a workbook's cells, as a clerk in Excel would. */
export async function fill(bytes: Uint8Array, inputs: Record<string, Record<string, Raw>>, remarks: Record<string, Record<string, string>> = {}): Promise<Uint8Array> {
  const wb = await load(bytes);
  const meta = metaOf(wb);
  for (const sm of meta.sheets) {
    const ws = wb.getWorksheet(sm.name)!;
    for (const i of sm.inputs) {
      const v = inputs[sm.unit]?.[i.key];
      if (v !== undefined) ws.getCell(i.address).value = v === null ? null : (v as string | number | boolean);
    }
    for (const r of sm.remarks ?? []) {
      const v = remarks[sm.unit]?.[r.id];
      if (v !== undefined) ws.getCell(r.address).value = v;
    }
  }
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

/** Rewrites the stored metadata JSON (as one chunk) after `edit` changed it, as someone editing the hidden sheet would. */
export async function editMeta(bytes: Uint8Array, edit: (stored: Record<string, any>) => void): Promise<Uint8Array> {
  const wb = await load(bytes);
  const ws = wb.getWorksheet(META_SHEET)!;
  const head = JSON.parse(String(ws.getCell(1, 1).value));
  let json = '';
  for (let r = 2; r < 2 + head.chunks; r++) json += String(ws.getCell(r, 1).value);
  const stored = JSON.parse(json);
  edit(stored);
  const text = JSON.stringify(stored);
  const chunks: string[] = [];
  for (let i = 0; i < text.length; i += 30000) chunks.push(text.slice(i, i + 30000));
  for (let r = 2; r < 2 + head.chunks; r++) ws.getCell(r, 1).value = null;
  chunks.forEach((c, i) => (ws.getCell(i + 2, 1).value = c));
  ws.getCell(1, 1).value = JSON.stringify({ ...head, chunks: chunks.length });
  return new Uint8Array(await wb.xlsx.writeBuffer());
}
