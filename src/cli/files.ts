/**
 * Files the CLI reads and writes, hostile cases first: a directory where a file is expected, a target it
 * cannot write, an output that is one of its inputs (by device and inode: hard links and symlinks too),
 * an existing workbook that holds a clerk's entries. Every write goes to a temporary file in the target's
 * folder and is renamed into place, so a killed or failing write leaves the previous file whole and no
 * partial file under the final name.
 */
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { wbProblem, type WorkbookProblem } from '../xlsx';

/** A workbook larger than this is not a 打分表 (40 units make about 1 MB). */
export const MAX_WORKBOOK_BYTES = 100 * 1024 * 1024;

const REASONS: Record<string, [string, string]> = {
  EISDIR: ['这是一个文件夹', 'it is a directory'],
  ENOTDIR: ['路径中有一段不是文件夹', 'a part of the path is not a directory'],
  EACCES: ['没有权限', 'permission denied'],
  EPERM: ['不允许的操作', 'operation not permitted'],
  EROFS: ['只读的磁盘或文件夹', 'read-only file system'],
  ENOSPC: ['磁盘已满', 'the disk is full'],
  EDQUOT: ['超出磁盘配额', 'disk quota exceeded'],
  EFBIG: ['文件超过允许的大小（ulimit）', 'file too large for the limit in force (ulimit)'],
  EIO: ['读写错误（这不是普通文件或磁盘有问题）', 'input/output error (not a regular file, or a disk problem)'],
  ENOENT: ['找不到文件或文件夹', 'no such file or directory'],
  EXDEV: ['临时文件与目标不在同一磁盘', 'the temporary file is on another device'],
  EBUSY: ['文件正被占用', 'the file is busy'],
  ELOOP: ['符号链接循环', 'too many symbolic links'],
  ENAMETOOLONG: ['文件名过长', 'file name too long'],
};

export function reasonOf(e: unknown): { reason: string; reasonEn: string } {
  const code = (e as NodeJS.ErrnoException)?.code ?? '';
  const r = REASONS[code];
  if (r) return { reason: `${r[0]}（${code}）`, reasonEn: `${r[1]} (${code})` };
  const msg = String((e as Error)?.message ?? e).split('\n')[0].slice(0, 200);
  return { reason: msg, reasonEn: msg };
}

/** `dev:ino` of an existing file, following symlinks; null when it does not exist. */
export function fileId(file: string): string | null {
  try {
    const st = statSync(file);
    return `${st.dev}:${st.ino}`;
  } catch {
    return null;
  }
}

/** The same file, by path, real path, or device and inode (a hard link is the same file under another name). */
export function sameFile(a: string, b: string): boolean {
  if (resolve(a) === resolve(b)) return true;
  const ia = fileId(a);
  return ia !== null && ia === fileId(b);
}

/** Reads an input file, or says (as a problem) why it cannot: missing, a directory, too large, unreadable. */
export function readInputFile(file: string, max = MAX_WORKBOOK_BYTES): Uint8Array | WorkbookProblem {
  const fail = (reason: string, reasonEn: string) => wbProblem('workbook.inputFile', { file, reason, reasonEn });
  try {
    if (!existsSync(file)) return fail('找不到文件', 'file not found');
    const st = statSync(file);
    if (st.isDirectory()) return fail('这是一个文件夹，不是文件', 'it is a directory, not a file');
    if (!st.isFile()) return fail('不是普通文件', 'not a regular file');
    if (st.size > max) return fail(`文件过大（${Math.round(st.size / 1048576)} MB），不是一份打分表`, `file too large (${Math.round(st.size / 1048576)} MB) for a scoring workbook`);
    return new Uint8Array(readFileSync(file));
  } catch (e) {
    const r = reasonOf(e);
    return fail(r.reason, r.reasonEn);
  }
}

/**
 * Whether `out` may be written: not a directory, not any file this command read, and (unless `force`)
 * not an existing file. Returns the problem, or null.
 */
export function checkOutput(out: string, inputs: readonly string[], force: boolean): WorkbookProblem | null {
  for (const f of inputs) if (sameFile(f, out)) return wbProblem('workbook.sameFile', { file: out });
  let st;
  try {
    st = statSync(out);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    return wbProblem('workbook.outputProblem', { file: out, ...reasonOf(e) });
  }
  if (st.isDirectory()) return wbProblem('workbook.outputProblem', { file: out, reason: '这是一个文件夹；请给出文件名，如 -o 文件夹/打分表.xlsx', reasonEn: 'it is a directory; give a file name, e.g. -o folder/sheet.xlsx' });
  if (!st.isFile()) return wbProblem('workbook.outputProblem', { file: out, reason: '不是普通文件', reasonEn: 'not a regular file' });
  if (!force) return wbProblem('workbook.outputExists', { file: out });
  return null;
}

/**
 * Writes `bytes` to `file` through a temporary file in the same folder, flushed and renamed into place:
 * a reader sees the old file or the new one, never half of one. Throws the system error (the caller names it).
 */
export function writeAtomically(file: string, bytes: Uint8Array): void {
  const dir = dirname(resolve(file));
  mkdirSync(dir, { recursive: true });
  removeStaleTemps(dir, basename(file));
  const tmp = join(dir, `.${basename(file)}.${process.pid}.${Date.now().toString(36)}.tmp`);
  let fd: number | null = null;
  try {
    fd = openSync(tmp, 'wx', 0o644);
    for (let off = 0; off < bytes.length;) off += writeSync(fd, bytes, off, bytes.length - off);
    fsyncSync(fd);
    closeSync(fd);
    fd = null;
    renameSync(tmp, file);
  } catch (e) {
    if (fd !== null) {
      try {
        closeSync(fd);
      } catch {
        // already closed
      }
    }
    try {
      unlinkSync(tmp);
    } catch {
      // never created
    }
    throw e;
  }
}

/** Temporary files of earlier writes to `name` whose process is gone (killed mid-write): removed, nothing else. */
function removeStaleTemps(dir: string, name: string): void {
  const prefix = `.${name}.`;
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return;
  }
  for (const f of entries) {
    if (!f.startsWith(prefix) || !f.endsWith('.tmp')) continue;
    const m = /^(\d+)\.[0-9a-z]+\.tmp$/.exec(f.slice(prefix.length));
    if (!m || Number(m[1]) === process.pid || alive(Number(m[1]))) continue;
    try {
      unlinkSync(join(dir, f));
    } catch {
      // gone already, or not ours to remove
    }
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** writeAtomically, with a failure as a problem instead of an exception. */
export function writeOutput(file: string, bytes: Uint8Array): WorkbookProblem | null {
  try {
    writeAtomically(file, bytes);
    return null;
  } catch (e) {
    return wbProblem('workbook.outputProblem', { file, ...reasonOf(e) });
  }
}
