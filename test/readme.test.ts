import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { catalogMarkdown, catalogRows } from '../src/cli/catalog';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

describe('README', () => {
  it('starts with the main job and the test command', () => {
    const top = readme.split('\n').slice(0, 8).join('\n');
    expect(top).toContain('npm ci && npm run demo');
    expect(top).toContain('npm test');
  });

  it('has the current table of bundled rubrics (npm run rubric-table)', () => {
    const m = /<!-- rubric-table -->\n([\s\S]*?)\n<!-- \/rubric-table -->/.exec(readme);
    expect(m).not.toBeNull();
    expect(m![1]).toBe(catalogMarkdown());
  });

  it('lists every bundled variant', () => {
    const rows = catalogRows();
    for (const r of rows) expect(readme).toContain(`| ${r.file} | ${r.program} | ${r.variant} |`);
  });
});
