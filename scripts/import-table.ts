// Prints the README's table of import fidelity (every seed imported and compared with its rubric);
// `--write` replaces it in README.md between the markers.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fidelityMarkdown, fidelityRows } from '../src/cli/import';
import { REPO_ROOT } from '../src/cli/rubrics';

const table = fidelityMarkdown(await fidelityRows());
if (process.argv.includes('--write')) {
  const f = join(REPO_ROOT, 'README.md');
  const s = readFileSync(f, 'utf8');
  if (!s.includes('<!-- import-table -->')) throw new Error('README.md has no <!-- import-table --> markers');
  writeFileSync(f, s.replace(/<!-- import-table -->[\s\S]*<!-- \/import-table -->/, `<!-- import-table -->\n${table}\n<!-- /import-table -->`));
  console.log('README.md updated');
} else console.log(table);
