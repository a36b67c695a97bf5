// Prints the README's table of bundled rubrics; `--write` replaces it in README.md between the markers.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { catalogMarkdown } from '../src/cli/catalog';
import { REPO_ROOT } from '../src/cli/rubrics';

const table = catalogMarkdown();
if (process.argv.includes('--write')) {
  const f = join(REPO_ROOT, 'README.md');
  const s = readFileSync(f, 'utf8');
  const out = s.replace(/<!-- rubric-table -->[\s\S]*<!-- \/rubric-table -->/, `<!-- rubric-table -->\n${table}\n<!-- /rubric-table -->`);
  writeFileSync(f, out);
  console.log('README.md updated');
} else console.log(table);
