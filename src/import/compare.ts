/**
 * How close an imported rubric is to a hand-encoded one: criteria matched by their verbatim words
 * (title, 考核内容, 评分标准; line breaks ignored), then per criterion the same ancestors (titles and
 * points), the same points, and the same rule (kind and every numeric parameter, exclusive groups,
 * voided nodes and cohort clauses; labels, questions and names are wording and not compared). A criterion whose rule differs is either flagged 需确认
 * in the import or a silent difference — the figure that must stay 0.
 */
import type { Program, RubricNode, Rule } from '../engine';

export interface CriterionDiff {
  variant: string;
  id: string;
  importedId?: string;
  /** found: a criterion with the same words exists in the import. */
  found: boolean;
  sameTree: boolean;
  samePoints: boolean;
  sameRule: boolean;
  flagged: boolean;
  hand?: string;
  imported?: string;
}

export interface Comparison {
  criteria: number;
  /** Criteria found with the same words, the same points and the same ancestors. */
  textsAndPoints: number;
  sameRule: number;
  /** Criteria whose rule differs and that the import flagged 需确认. */
  flagged: number;
  /** Criteria whose rule differs and that the import did not flag. */
  silent: number;
  /** Imported criteria that match no hand-encoded one. */
  extra: number;
  diffs: CriterionDiff[];
}

const norm = (s: string | undefined): string => (s ?? '').replace(/[\n\r]/g, '');

interface Leaf {
  node: RubricNode;
  parents: RubricNode[];
  key: string;
}

function leaves(nodes: RubricNode[], parents: RubricNode[] = []): Leaf[] {
  return nodes.flatMap((n) =>
    n.children?.length ? leaves(n.children, [...parents, n]) : [{ node: n, parents, key: [norm(n.title), norm(n.content), norm(n.text)].join('|') }],
  );
}

const WORDING = new Set(['label', 'name', 'text', 'question', 'unit', 'optional', 'note', 'slots', 'setting']);

/**
 * A rule's numeric content, defaults made explicit, wording left out. `oneOf` group names are
 * identifiers (numbered by first use); `voids` ids are read through `ids` (imported id → hand id) when given.
 */
export function ruleSignature(rule: Rule, points: number | null | undefined, ids?: Map<string, string>): string {
  const r = JSON.parse(JSON.stringify(rule)) as Record<string, any>;
  const groups = new Map<string, string>();
  for (const l of r.lines ?? []) {
    if (l.oneOf !== undefined) {
      if (!groups.has(l.oneOf)) groups.set(l.oneOf, `g${groups.size + 1}`);
      l.oneOf = groups.get(l.oneOf);
    }
    if (Array.isArray(l.voids)) l.voids = l.voids.map((v: string) => ids?.get(v) ?? v).sort();
  }
  const p = points ?? undefined;
  const strip = (o: any): any => {
    if (Array.isArray(o)) return o.map(strip);
    if (o && typeof o === 'object') {
      const out: Record<string, any> = {};
      for (const k of Object.keys(o).sort()) {
        if (WORDING.has(k)) continue;
        if ((k === 'done' || k === 'of') && typeof o[k] === 'object') {
          out[k] = 'field';
          continue;
        }
        out[k] = strip(o[k]);
      }
      return out;
    }
    return o;
  };
  if (r.kind === 'direct') {
    r.max ??= p;
    r.min ??= 0;
  }
  if (r.kind === 'yesno') {
    r.yes ??= p;
    r.no ??= 0;
  }
  if (r.kind === 'deduct') r.start ??= p;
  // Tiers: a tier worth what the tier below it (or `else`) is worth changes nothing (a gap the rubric fills as a
  // 本表设定 tier of the same points, 190—200㎡ at 10 after 150—190㎡ at 10): the same rule either way.
  if (r.kind === 'tiers' && Array.isArray(r.tiers)) {
    const all = r.tiers as { points?: number }[];
    r.tiers = all.filter((t, i) => t.points !== (i === 0 ? (r.else ?? 0) : all[i - 1].points));
  }
  if (r.kind === 'tally') {
    r.verb ??= 'add';
    r.cap ??= p;
  }
  if (r.kind === 'best') r.cap ??= p;
  if (r.kind === 'tiers') for (const t of r.tiers ?? []) t.above ??= false;
  for (const l of r.lines ?? []) {
    if (l.type === 'shortfall' || l.type === 'excess') {
      l.per ??= 1;
      l.input ??= 'number';
    }
    if (l.type === 'amount') l.min ??= 0;
  }
  if (r.kind === 'choice') r.options = [...r.options].map((o: any) => o.points).sort((a: number, b: number) => a - b);
  return JSON.stringify(strip(r));
}

/**
 * A cohort clause's numeric content: the statistic, the offset, the entered 下浮 and its bound. Which units
 * it scores (tags or a flag) is the population, like appliesTo, and not compared.
 */
function cohortSignature(n: RubricNode): string {
  const c = (n as { cohort?: { stat: string; offset?: number; reduce?: { max?: number }; } }).cohort;
  if (!c) return '';
  return JSON.stringify({ stat: c.stat, offset: c.offset ?? 0, reduce: c.reduce ? (c.reduce.max ?? 'any') : null });
}

const chain = (l: Leaf): string => l.parents.map((p) => `${norm(p.title)}(${p.points ?? ''}|${p.role ?? ''})`).join('>');

/** Compare every variant of `hand` with the variant of `imported` at the same position. */
export function compareRubrics(imported: Program, hand: Program): Comparison {
  const diffs: CriterionDiff[] = [];
  let extra = 0;
  hand.variants.forEach((hv, vi) => {
    const iv = imported.variants[vi];
    const mine = iv ? leaves(iv.sections) : [];
    const pool = new Map<string, Leaf[]>();
    for (const l of mine) pool.set(l.key, [...(pool.get(l.key) ?? []), l]);
    const used = new Set<Leaf>();
    // First the matches (an imported id → the hand id, to read `voids` by), then the rules.
    const pairs: { h: Leaf; cand?: Leaf; holder?: Leaf }[] = [];
    for (const h of leaves(hv.sections)) {
      const cand = pool.get(h.key)?.find((l) => !used.has(l));
      if (cand) {
        used.add(cand);
        pairs.push({ h, cand });
      } else pairs.push({ h });
    }
    for (const p of pairs) {
      if (p.cand) continue;
      // The hand encoding split (or joined) a cell: the imported criterion holding these words is the
      // one the clerk reviews; it counts as flagged only if the import flagged it.
      const words = norm(p.h.node.text ?? p.h.node.title);
      p.holder = words ? mine.find((l) => !used.has(l) && (norm(l.node.text ?? l.node.title).includes(words) || (words.includes(norm(l.node.text ?? l.node.title)) && norm(l.node.text ?? l.node.title).length > 8))) ?? mine.find((l) => norm(l.node.text ?? l.node.title).includes(words)) : undefined;
      if (p.holder) used.add(p.holder);
    }
    const ids = new Map(pairs.filter((p) => p.cand).map((p) => [p.cand!.node.id, p.h.node.id]));
    for (const { h, cand, holder } of pairs) {
      if (!cand) {
        diffs.push({ variant: hv.id, id: h.node.id, ...(holder ? { importedId: holder.node.id } : {}), found: false, sameTree: false, samePoints: false, sameRule: false, flagged: !!holder && /^需确认/.test(holder.node.note ?? '') });
        continue;
      }
      const hs = (h.node.rule ? ruleSignature(h.node.rule, h.node.points) : '') + cohortSignature(h.node);
      const is = (cand.node.rule ? ruleSignature(cand.node.rule, cand.node.points, ids) : '') + cohortSignature(cand.node);
      const sameRule = hs === is;
      diffs.push({
        variant: hv.id,
        id: h.node.id,
        importedId: cand.node.id,
        found: true,
        sameTree: chain(h) === chain(cand),
        samePoints: (h.node.points ?? undefined) === (cand.node.points ?? undefined) && (h.node.effect ?? '') === (cand.node.effect ?? ''),
        sameRule,
        flagged: /^需确认/.test(cand.node.note ?? ''),
        ...(sameRule ? {} : { hand: hs, imported: is }),
      });
    }
    extra += mine.filter((l) => !used.has(l)).length;
  });
  const differing = diffs.filter((d) => !d.sameRule);
  return {
    criteria: diffs.length,
    textsAndPoints: diffs.filter((d) => d.found && d.sameTree && d.samePoints).length,
    sameRule: diffs.filter((d) => d.sameRule).length,
    flagged: differing.filter((d) => d.flagged).length,
    silent: differing.filter((d) => !d.flagged).length,
    extra,
    diffs,
  };
}
