// Runs the CLI in-process with captured output: what every CLI test needs (exit code, stdout, stderr).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll } from 'vitest';
import { main, type Io } from '../../src/cli/main';
import { decodeMeta, type WorkbookMeta } from '../../src/layout';

export async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const io: Io = { out: (s) => out.push(s), err: (s) => err.push(s) };
  const code = await main(argv, io);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/** A scratch folder for one test file, removed after its tests. */
export function scratchDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A workbook the CLI wrote, opened with ExcelJS, and the metadata of its `_dafen` sheet. */
export async function openWorkbook(file: string): Promise<{ wb: ExcelJS.Workbook; meta: WorkbookMeta }> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(file);
  const ws = wb.getWorksheet('_dafen')!;
  const col: string[] = [];
  for (let r = 1; r <= ws.rowCount; r++) col.push(String(ws.getCell(r, 1).value));
  return { wb, meta: decodeMeta(col).meta! };
}
