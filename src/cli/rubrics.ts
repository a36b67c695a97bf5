/** Finding and loading rubric files for the CLI. */
import { readdirSync, readFileSync, existsSync, statSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadProgram, problem, type LoadResult, type Problem } from '../engine';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const RUBRIC_DIR = join(REPO_ROOT, 'rubrics');

/** A rubric file larger than this is not a rubric (the largest bundled one is under 100 KB). */
export const MAX_RUBRIC_BYTES = 8 * 1024 * 1024;

export function listRubricFiles(dir = RUBRIC_DIR): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => /\.(ya?ml|json)$/.test(f) && !f.endsWith('.schema.json'))
    .sort()
    .map((f) => join(dir, f));
}

/**
 * A rubric file's bytes → text. UTF-8 (with or without a BOM) as is; UTF-16 (by its BOM, or by the zero
 * bytes of mostly-ASCII text) and GB18030/GBK (what Chinese Windows saves as "ANSI") are decoded with a
 * warning naming the encoding; anything else is refused rather than read as garbled text.
 */
export function decodeRubricBytes(bytes: Uint8Array): { text: string; problems: Problem[] } | { text: null; problems: Problem[] } {
  const warn = (encoding: string) => [{ ...problem('rubric.encoding', '', { encoding }), line: 1 }];
  const dec = (label: string, b: Uint8Array) => new TextDecoder(label, { fatal: true }).decode(b);
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    try {
      return { text: dec('utf-8', bytes.subarray(3)), problems: [] };
    } catch {
      return { text: null, problems: [{ ...problem('rubric.badEncoding', ''), line: 1 }] };
    }
  }
  const utf16 = (le: boolean, skip: number) => {
    try {
      return { text: dec(le ? 'utf-16le' : 'utf-16be', bytes.subarray(skip)), problems: warn(le ? 'UTF-16LE' : 'UTF-16BE') };
    } catch {
      return { text: null, problems: [{ ...problem('rubric.badEncoding', ''), line: 1 }] };
    }
  };
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return utf16(true, 2);
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return utf16(false, 2);
  // UTF-16 without a BOM: YAML is mostly ASCII, so every other byte is zero.
  if (bytes.length >= 4 && bytes.length % 2 === 0) {
    let evenZero = 0;
    let oddZero = 0;
    const n = Math.min(bytes.length, 4096);
    for (let i = 0; i < n; i += 2) {
      if (bytes[i] === 0) evenZero++;
      if (bytes[i + 1] === 0) oddZero++;
    }
    const pairs = n / 2;
    if (oddZero > pairs / 4 && evenZero * 10 < oddZero) return utf16(true, 0);
    if (evenZero > pairs / 4 && oddZero * 10 < evenZero) return utf16(false, 0);
  }
  try {
    return { text: dec('utf-8', bytes), problems: [] };
  } catch {
    // not UTF-8
  }
  try {
    return { text: dec('gb18030', bytes), problems: warn('GB18030（GBK）') };
  } catch {
    return { text: null, problems: [{ ...problem('rubric.badEncoding', ''), line: 1 }] };
  }
}

function fileProblem(file: string, detail: string): Problem {
  return { ...problem('rubric.file', '', { detail: `${file}：${detail}` }), file, line: undefined };
}

/**
 * 评分细则 workbooks (dafen import -o 细则.xlsx, as a clerk edited them) read before a command runs
 * (their reading is asynchronous): the rubric's YAML and the sheet's problems, by resolved path.
 */
const sheetRubrics = new Map<string, { text: string | null; problems: Problem[] }>();

export function holdSheetRubric(file: string, held: { text: string | null; problems: Problem[] }): void {
  sheetRubrics.set(resolve(file), held);
}

export function loadRubricFile(file: string): LoadResult & { file: string } {
  const held = sheetRubrics.get(resolve(file));
  if (held) {
    const blocked = held.text === null || held.problems.some((p) => p.severity === 'error');
    return { file, program: blocked ? null : loadProgram(held.text!, file).program, problems: held.problems.map((p) => ({ ...p, file })) };
  }
  let bytes: Uint8Array;
  try {
    if (!existsSync(file)) return { file, program: null, problems: [fileProblem(file, '找不到文件 / file not found')] };
    const st = statSync(file);
    if (st.isDirectory()) return { file, program: null, problems: [fileProblem(file, '这是一个文件夹 / it is a directory')] };
    if (!st.isFile()) return { file, program: null, problems: [fileProblem(file, '不是普通文件 / not a regular file')] };
    if (st.size > MAX_RUBRIC_BYTES) return { file, program: null, problems: [fileProblem(file, `文件过大（${Math.round(st.size / 1048576)} MB） / file too large`)] };
    bytes = new Uint8Array(readFileSync(file));
  } catch (e) {
    return { file, program: null, problems: [fileProblem(file, (e as NodeJS.ErrnoException).code ?? String((e as Error).message).split('\n')[0])] };
  }
  const decoded = decodeRubricBytes(bytes);
  const place = (ps: Problem[]) => ps.map((p) => ({ ...p, file }));
  if (decoded.text === null) return { file, program: null, problems: place(decoded.problems) };
  const r = loadProgram(decoded.text, file);
  return { file, program: r.program, problems: [...place(decoded.problems), ...r.problems] };
}
