/**
 * Child process of killed-write.test.ts: writes `<megabytes>` MB through the CLI's writeAtomically onto
 * `<target>`, so the parent can kill it (SIGKILL) while the bytes are going out.
 */
import { writeAtomically } from '../../src/cli/files';

const [target, mb] = process.argv.slice(2);
const bytes = new Uint8Array(Number(mb) * 1024 * 1024).fill(0x4e);
process.stdout.write('writing\n');
writeAtomically(target, bytes);
process.stdout.write('done\n');
