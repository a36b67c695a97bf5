/**
 * Rubric file → checked Program, with every problem at once (never the first exception): YAML syntax,
 * shape (schema.ts), each rule against its kind (kinds/), then meaning (check.ts). Each problem carries
 * the file's line, found from the YAML document's node positions.
 */
import { LineCounter, parseDocument, isNode } from 'yaml';
import type { z } from 'zod';
import { KIND_NAMES, kindOf } from './kinds';
import { checkProgram } from './check';
import type { Program, RubricNode } from './model';
import { hasErrors, problem, type Problem } from './problems';
import { LooseProgram } from './schema';

export interface LoadResult {
  program: Program | null;
  problems: Problem[];
}

type Path = (string | number)[];

export function pathString(path: readonly PropertyKey[]): string {
  return path.reduce<string>((acc, seg) => (typeof seg === 'number' ? `${acc}[${seg}]` : acc ? `${acc}.${String(seg)}` : String(seg)), '');
}

function issueProblems(issues: z.core.$ZodIssue[], prefix: Path, kind?: string): { problem: Problem; path: Path }[] {
  return issues.flatMap((iss) => {
    const path = [...prefix, ...(iss.path as Path)];
    const at = pathString(path);
    if (iss.code === 'unrecognized_keys') {
      return iss.keys.map((k) => ({ problem: problem('rubric.unknownField', at ? `${at}.${k}` : k, { field: k }), path: [...path, k] }));
    }
    if (iss.code === 'invalid_type' && /received undefined/.test(iss.message)) {
      const field = String(path[path.length - 1] ?? '');
      return [{ problem: problem('rubric.missing', at, { field }), path: path.slice(0, -1) }];
    }
    if (iss.code === 'invalid_union' && 'errors' in iss && Array.isArray(iss.errors) && iss.errors.length) {
      // Report the branch that got furthest rather than "invalid input".
      const best = iss.errors.reduce((a, b) => (b.length < a.length ? b : a));
      return issueProblems(best as z.core.$ZodIssue[], path, kind);
    }
    const detail = `${iss.message}${at ? `（${at}）` : ''}`;
    return [{ problem: kind ? problem('rubric.badKind', at, { kind, detail }) : problem('rubric.schema', at, { detail }), path }];
  });
}

export function loadProgram(text: string, file?: string): LoadResult {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: true });
  const lineOf = (path: Path): number | undefined => {
    for (let p = path; ; p = p.slice(0, -1)) {
      const node = p.length ? doc.getIn(p, true) : doc.contents;
      if (isNode(node) && node.range) return lc.linePos(node.range[0]).line;
      if (p.length === 0) return undefined;
    }
  };
  const withPlace = (p: Problem, path?: Path): Problem => ({ ...p, file, line: p.line ?? (path ? lineOf(path) : undefined) });

  if (doc.errors.length) {
    return {
      program: null,
      problems: doc.errors.map((e) => withPlace({ ...problem('rubric.yaml', '', { detail: e.message.split('\n')[0] }), line: e.linePos?.[0]?.line ?? lc.linePos(e.pos[0]).line })),
    };
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    // e.g. an alias to an anchor that is not set, or an alias bomb
    return { program: null, problems: [withPlace(problem('rubric.yaml', '', { detail: (e as Error).message.split('\n')[0] }))] };
  }
  const parsed = LooseProgram.safeParse(data);
  if (!parsed.success) {
    return { program: null, problems: issueProblems(parsed.error.issues, []).map((x) => withPlace(x.problem, x.path)) };
  }
  const program = parsed.data as unknown as Program;
  const problems: Problem[] = [];
  const broken = new Set<RubricNode>();
  // Each rule against its own kind's schema; replace it by the parsed rule (defaults filled in).
  const walk = (nodes: RubricNode[], path: Path): void => {
    nodes.forEach((n, i) => {
      const here = [...path, i];
      if (n.rule) {
        const kind = (n.rule as { kind: string }).kind;
        if (!KIND_NAMES.includes(kind as never)) {
          problems.push(withPlace(problem('rubric.unknownKind', pathString([...here, 'rule', 'kind']), { kind, known: KIND_NAMES.join(', ') }), [...here, 'rule', 'kind']));
          broken.add(n);
        } else {
          const r = kindOf(n.rule).schema.safeParse(n.rule);
          if (r.success) n.rule = r.data;
          else {
            problems.push(...issueProblems(r.error.issues, [...here, 'rule'], kind).map((x) => withPlace(x.problem, x.path)));
            broken.add(n);
          }
        }
      }
      if (n.children) walk(n.children, [...here, 'children']);
    });
  };
  program.variants.forEach((v, vi) => walk(v.sections, ['variants', vi, 'sections']));
  // Meaning checks run even when some rules are broken (those are skipped), so every problem shows at once.
  for (const p of checkProgram(program, broken)) {
    problems.push(withPlace(p, parsePath(p.path)));
  }
  return { program: hasErrors(problems) ? null : program, problems };
}

/** `variants[0].sections[2].rule` → ['variants', 0, 'sections', 2, 'rule'] */
export function parsePath(s: string): Path {
  const out: Path = [];
  for (const m of s.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) out.push(m[2] !== undefined ? Number(m[2]) : m[1]);
  return out;
}
