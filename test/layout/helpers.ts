/**
 * Shared by the layout, xlsx, CLI and end-to-end tests: the rubrics to run over (the fixture and every
 * rubrics/*.yaml present now), their units (made-up ones where a variant lists fewer than three), and
 * what a clerk may validly type into each input, drawn reproducibly.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { HyperFormula } from 'hyperformula';
import { compileSheet, hasErrors, loadProgram, scoreCohort, type Program, type Raw } from '../../src/engine';
import { addr, type WorkbookPlan } from '../../src/layout';
import { rng, validEntry } from '../engine/helpers';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const FIXTURE = join(ROOT, 'test/fixtures/mini.yaml');

export interface RubricCase {
  name: string;
  file: string;
  program: Program;
}

/** The rules of issue 11 (exclusive lines, voiding zero-outs, percentage ranks, cohort clauses) in one fixture. */
export const EXCLUSIVE_FIXTURE = join(ROOT, 'test/engine/fixtures/exclusive.yaml');

/** The fixtures and every bundled rubric that loads without errors. */
export function rubricCases(): RubricCase[] {
  const files = [FIXTURE, ...(existsSync(EXCLUSIVE_FIXTURE) ? [EXCLUSIVE_FIXTURE] : [])];
  const dir = join(ROOT, 'rubrics');
  if (existsSync(dir)) files.push(...readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort().map((f) => join(dir, f)));
  return files.flatMap((file) => {
    const r = loadProgram(readFileSync(file, 'utf8'), file);
    if (!r.program || hasErrors(r.problems)) return [];
    return [{ name: basename(file).replace(/\.ya?ml$/, ''), file, program: r.program }];
  });
}

export function loadFixture(): Program {
  return loadProgram(readFileSync(FIXTURE, 'utf8'), FIXTURE).program!;
}

/** Every listed unit, plus made-up ones so that each variant has at least `min` (ranks, ties, 不考核 rows). */
export function unitsFor(program: Program, min = 3): { name: string; variant: string; tags: string[] }[] {
  const out = (program.units ?? []).map((u) => ({ name: u.name, variant: u.variant, tags: u.tags ?? [] }));
  for (const v of program.variants) {
    for (let i = out.filter((u) => u.variant === v.id).length; i < min; i++) out.push({ name: `${v.name}测试单位${i + 1}`, variant: v.id, tags: [] });
  }
  return out;
}

export { rng };

export interface FilledUnit {
  name: string;
  variant: string;
  inputs: Record<string, Raw>;
}

/**
 * What clerks type into the input cells of these units, as the cells hold it: valid entries (the
 * engine's generators), blanks, 不涉及 where allowed, and counts far past the floor. Entries the
 * engine refuses across inputs (done > required…) are left blank.
 */
export function randomInputs(program: Program, units: { name: string; variant: string; tags: string[] }[], seed: number): FilledUnit[] {
  const rand = rng(seed);
  const out = units.map((u, ui) => {
    const v = program.variants.find((x) => x.id === u.variant)!;
    const sheet = compileSheet(program, v, u);
    const inputs: Record<string, Raw> = {};
    [...sheet.inputs, ...sheet.vetoInputs].forEach((spec, i) => {
      if (spec.type === 'count' && spec.max === undefined && rand() < 0.15) {
        inputs[spec.key] = 20 + Math.floor(rand() * 30);
        return;
      }
      const [e] = fc.sample(validEntry(spec), { seed: seed * 7919 + ui * 131 + i, numRuns: 1 });
      if (e.cell !== null && e.cell !== '') inputs[spec.key] = e.cell;
    });
    return { name: u.name, variant: u.variant, inputs };
  });
  for (let round = 0; round < 3; round++) {
    const res = scoreCohort(program, out.map((u) => ({ unit: u.name, variant: u.variant, inputs: u.inputs })));
    let dropped = 0;
    for (const r of res.units) {
      const u = out.find((x) => x.name === r.unit)!;
      for (const p of r.problems) if (p.severity === 'error' && p.path in u.inputs) { delete u.inputs[p.path]; dropped++; }
    }
    if (!dropped) break;
  }
  return out;
}

/** Evaluates a plan's formulas with HyperFormula; returns the problems: formula value ≠ cached value. */
export function hfMismatches(plan: WorkbookPlan, tol = 1e-9): string[] {
  const sheets: Record<string, (string | number | boolean | null)[][]> = {};
  for (const s of plan.sheets) {
    if (s.kind === 'meta') continue;
    const rows: (string | number | boolean | null)[][] = [];
    for (const c of s.cells) {
      (rows[c.row - 1] ??= [])[c.col - 1] = c.formula !== undefined ? `=${c.formula}` : (c.value ?? null);
    }
    for (let r = 0; r < rows.length; r++) rows[r] = Array.from({ length: Math.max(0, ...rows.map((x) => x?.length ?? 0)) }, (_, i) => rows[r]?.[i] ?? null);
    sheets[s.name] = rows;
  }
  const hf = HyperFormula.buildFromSheets(sheets, { licenseKey: 'gpl-v3' });
  const out: string[] = [];
  for (const s of plan.sheets) {
    if (s.kind === 'meta') continue;
    const id = hf.getSheetId(s.name)!;
    for (const c of s.cells) {
      if (c.formula === undefined) continue;
      const v = hf.getCellValue({ sheet: id, row: c.row - 1, col: c.col - 1 });
      const ok = typeof c.cached === 'number'
        ? typeof v === 'number' && Math.abs(v - c.cached) <= tol * Math.max(1, Math.abs(c.cached))
        : (v ?? '') === c.cached;
      if (!ok) out.push(`${s.name}!${addr(c.row, c.col)} ${c.computed}: HyperFormula ${JSON.stringify(v)} ≠ engine ${JSON.stringify(c.cached)} — =${c.formula}`);
    }
  }
  hf.destroy();
  return out;
}
