// Writes rubrics/rubric.schema.json from the one zod definition (src/engine/schema.ts).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { rubricJsonSchema } from '../src/engine';
import { RUBRIC_DIR } from '../src/cli/rubrics';

const out = join(RUBRIC_DIR, 'rubric.schema.json');
writeFileSync(out, JSON.stringify(rubricJsonSchema(), null, 2) + '\n');
console.log(`wrote ${out}`);
