/** The table of bundled rubrics (README, `dafen list`): program, variants, criteria, maximum, warnings. */
import { Dec, nodeMax, walkVariant, type Program } from '../engine';
import { listRubricFiles, loadRubricFile } from './rubrics';
import { basename } from 'node:path';

export interface CatalogRow {
  file: string;
  program: string;
  variant: string;
  units: number;
  criteria: number;
  max: string;
  bonusCap: string;
  penaltyCap: string;
  netCap: string;
  warnings: string;
}

function caps(program: Program, vi: number, role: 'bonus' | 'penalty'): string {
  const secs = program.variants[vi].sections.filter((s) => s.role === role);
  if (!secs.length) return '—';
  if (secs.some((s) => s.points === undefined || s.points === null)) return '不封顶';
  return secs.reduce((a, s) => a.plus(s.points!), new Dec(0)).toFixed();
}

export function catalogRows(files = listRubricFiles()): CatalogRow[] {
  const rows: CatalogRow[] = [];
  for (const f of files) {
    const r = loadRubricFile(f);
    if (!r.program) continue;
    const p = r.program;
    p.variants.forEach((v, vi) => {
      let criteria = 0;
      walkVariant(v, vi, (x) => { if (x.isCriterion) criteria++; });
      const base = v.sections.filter((s) => (s.role ?? 'base') === 'base').map((s) => nodeMax(p, s));
      const max = base.every((b) => b !== null) ? base.reduce((a, b) => a.plus(b!), new Dec(0)).toFixed() : '?';
      const prefix = `variants[${vi}]`;
      const warn = r.problems.filter((x) => x.severity === 'warning' && x.path.startsWith(prefix));
      const counts = new Map<string, number>();
      for (const w of warn) counts.set(w.code, (counts.get(w.code) ?? 0) + 1);
      rows.push({
        file: basename(f), program: p.title, variant: v.name, units: (p.units ?? []).filter((u) => u.variant === v.id).length,
        criteria, max, bonusCap: caps(p, vi, 'bonus'), penaltyCap: caps(p, vi, 'penalty'), netCap: p.policies.netCap !== undefined ? `±${p.policies.netCap}` : '—',
        warnings: [...counts].map(([c, n]) => `${c.replace('rubric.', '')}×${n}`).join(', ') || '—',
      });
    });
  }
  return rows;
}

export function catalogMarkdown(rows = catalogRows()): string {
  const head = '| file | program | variant | units | criteria | max (base) | bonus cap | penalty cap | net cap | warnings |\n|---|---|---|---|---|---|---|---|---|---|';
  return [head, ...rows.map((r) => `| ${r.file} | ${r.program} | ${r.variant} | ${r.units || '—'} | ${r.criteria} | ${r.max} | ${r.bonusCap} | ${r.penaltyCap} | ${r.netCap} | ${r.warnings} |`)].join('\n');
}
