/** Finding and loading rubric files for the CLI. */
import { readdirSync, readFileSync, existsSync, statSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadProgram, type LoadResult } from '../engine';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const RUBRIC_DIR = join(REPO_ROOT, 'rubrics');

export function listRubricFiles(dir = RUBRIC_DIR): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => /\.(ya?ml|json)$/.test(f) && !f.endsWith('.schema.json'))
    .sort()
    .map((f) => join(dir, f));
}

export function loadRubricFile(file: string): LoadResult & { file: string } {
  if (!existsSync(file) || !statSync(file).isFile()) {
    return { file, program: null, problems: [{ code: 'rubric.yaml', severity: 'error', path: '', file, params: { detail: 'file not found' }, message: { zh: `找不到文件：${file}`, en: `File not found: ${file}` } }] };
  }
  return { file, ...loadProgram(readFileSync(file, 'utf8'), file) };
}
