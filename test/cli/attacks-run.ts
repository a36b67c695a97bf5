/**
 * Child process of attacks.test.ts: runs each corpus file named on the command line through the real
 * CLI entry (`main`: validate for rubrics, score for workbooks) in this one process, and writes per file
 * the exit code, the output, and the file's hash before and after to the JSON file given first.
 * The parent bounds this process's time (timeout) and memory (--max-old-space-size).
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { main, type Io } from '../../src/cli/main';

const [outFile, ...files] = process.argv.slice(2);
const hash = (f: string) => {
  try {
    return createHash('sha256').update(readFileSync(f)).digest('hex');
  } catch (e) {
    return `unreadable:${(e as NodeJS.ErrnoException).code}`;
  }
};
const results: { file: string; rc: number; out: string; before: string; after: string }[] = [];
for (const file of files) {
  const lines: string[] = [];
  const io: Io = { out: (s) => lines.push(s), err: (s) => lines.push(s) };
  process.stderr.write(`» ${file}\n`);
  const before = hash(file);
  const cmd = /\.xlsx$/.test(file) ? ['score', file] : ['validate', file];
  const rc = await main(cmd, io);
  results.push({ file, rc, out: lines.join('\n'), before, after: hash(file) });
  writeFileSync(outFile, JSON.stringify(results));
}
writeFileSync(outFile, JSON.stringify(results));
