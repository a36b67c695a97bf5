/**
 * Rubric file → checked Program, with every problem at once (never the first exception): YAML syntax,
 * shape (schema.ts), each rule against its kind (kinds/), then meaning (check.ts). Each problem carries
 * the file's line, found from the YAML document's node positions.
 */
import { LineCounter, parseDocument, isCollection, isNode, isPair, visit, type Node } from 'yaml';
import type { z } from 'zod';
import { KIND_NAMES, kindOf } from './kinds';
import { checkProgram } from './check';
import type { Program, RubricNode } from './model';
import { hasErrors, problem, type Problem } from './problems';
import { LooseProgram, rubricJsonSchema } from './schema';

export interface LoadResult {
  program: Program | null;
  problems: Problem[];
}

type Path = (string | number)[];

export function pathString(path: readonly PropertyKey[]): string {
  return path.reduce<string>((acc, seg) => (typeof seg === 'number' ? `${acc}[${seg}]` : acc ? `${acc}.${String(seg)}` : String(seg)), '');
}

/** `16分`, `16 分`, `１６分`: a figure written with its unit where a number is expected → the number. */
const WITH_FEN = /^\s*([0-9０-９]+(?:[.．][0-9０-９]+)?)\s*分\s*$/;
const halfWidth = (s: string): string => s.replace(/[０-９．]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));

function valueAt(root: unknown, path: Path): unknown {
  let v = root;
  for (const k of path) {
    if (!v || typeof v !== 'object') return undefined;
    v = (v as Record<string | number, unknown>)[k];
  }
  return v;
}

/** `root`: the data the issues' own paths start from (the program, or one rule). */
function issueProblems(issues: z.core.$ZodIssue[], prefix: Path, kind?: string, root?: unknown): { problem: Problem; path: Path }[] {
  return issues.flatMap((iss) => {
    const path = [...prefix, ...(iss.path as Path)];
    const at = pathString(path);
    if (iss.code === 'invalid_type' && iss.expected === 'number') {
      const v = valueAt(root, iss.path as Path);
      const m = typeof v === 'string' ? WITH_FEN.exec(v) : null;
      if (m) return [{ problem: problem('rubric.numberWithFen', at, { value: v as string, number: halfWidth(m[1]) }), path }];
    }
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
      return issueProblems(best as z.core.$ZodIssue[], path, kind, valueAt(root, iss.path as Path));
    }
    const detail = `${iss.message}${at ? `（${at}）` : ''}`;
    return [{ problem: kind ? problem('rubric.badKind', at, { kind, detail }) : problem('rubric.schema', at, { detail }), path }];
  });
}

/** YAML collections nested deeper than this are not a rubric (a real one nests about 12). */
export const MAX_NESTING = 64;
/** No number a rubric declares may exceed this in absolute value (1e308 points would print Infinity). */
export const MAX_NUMBER = 1e9;

/** Unicode noncharacters (U+FFFE, U+FFFF, U+FDD0–U+FDEF, …) and lone surrogates: no spreadsheet opens a file holding them. */
const NONCHARACTER = /[\p{Noncharacter_Code_Point}\p{Cs}]/gu;

function lineAt(text: string, index: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < index; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/** Deepest nesting of the document's collections, iteratively (a recursive walk is what deep files break). */
function tooDeepAt(root: unknown): Node | null {
  const stack: [unknown, number][] = [[root, 1]];
  while (stack.length) {
    const [n, d] = stack.pop()!;
    if (!isCollection(n)) continue;
    if (d > MAX_NESTING) return n;
    for (const it of n.items) {
      if (isPair(it)) {
        stack.push([it.key, d + 1], [it.value, d + 1]);
      } else stack.push([it, d + 1]);
    }
  }
  return null;
}

/** Numbers beyond MAX_NUMBER (or not finite), with their paths; iterative. */
function hugeNumbers(data: unknown): { path: Path; value: number }[] {
  const out: { path: Path; value: number }[] = [];
  const stack: [unknown, Path][] = [[data, []]];
  while (stack.length && out.length < 100) {
    const [v, path] = stack.pop()!;
    if (typeof v === 'number') {
      if (!Number.isFinite(v) || Math.abs(v) > MAX_NUMBER) out.push({ path, value: v });
    } else if (Array.isArray(v)) v.forEach((x, i) => stack.push([x, [...path, i]]));
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) stack.push([x, [...path, k]]);
  }
  return out.reverse();
}

/**
 * A lexical estimate of nesting, before the YAML parser sees the text: flow brackets outside quotes and
 * comments, and block indentation plus `- ` entries. Deep input must not reach the recursive parser at
 * all: near the end of the stack V8 may abort the process (a regular expression compiled there fails)
 * instead of throwing a RangeError. Returns the 1-based line where the limit is passed, or 0.
 */
function nestingLine(text: string, limit: number): number {
  let depth = 0;
  let line = 1;
  let quote = '';
  let lineStart = true;
  let indent = 0;
  let dashes = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '\n') {
      line++;
      lineStart = true;
      indent = 0;
      dashes = 0;
      if (quote === "'") continue; // single-quoted scalars may span lines
      continue;
    }
    if (quote) {
      if (ch === '\\' && quote === '"') i++;
      else if (ch === quote) quote = '';
      continue;
    }
    if (lineStart && ch === ' ') {
      indent++;
      continue;
    }
    if (lineStart || text[i - 1] === ' ') {
      if (ch === '-' && (text[i + 1] === ' ' || text[i + 1] === '\n')) {
        dashes++;
        if (indent + 2 * dashes > 4 * limit) return line;
        continue;
      }
    }
    lineStart = false;
    if (ch === '#' && (i === 0 || /\s/.test(text[i - 1]))) {
      const nl = text.indexOf('\n', i);
      if (nl < 0) break;
      i = nl - 1;
      continue;
    }
    if (ch === '"' || (ch === "'" && (i === 0 || /[\s[{,:]/.test(text[i - 1])))) quote = ch;
    else if (ch === '[' || ch === '{') {
      if (++depth > limit) return line;
    } else if (ch === ']' || ch === '}') depth = Math.max(0, depth - 1);
    if (indent > 4 * limit) return line;
  }
  return 0;
}

/** Every field name the rubric format knows, from the one schema (computed once). */
let fieldNames: Set<string> | null = null;
function knownFields(): Set<string> {
  if (fieldNames) return fieldNames;
  const names = new Set<string>();
  const stack: unknown[] = [rubricJsonSchema()];
  while (stack.length) {
    const v = stack.pop();
    if (Array.isArray(v)) stack.push(...v);
    else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if (k === 'properties' && x && typeof x === 'object' && !Array.isArray(x)) for (const n of Object.keys(x)) names.add(n);
        stack.push(x);
      }
    }
  }
  return (fieldNames = names);
}

/** `points：5` (a full-width colon): YAML reads one plain string, so the field is missing. */
const FULL_COLON_KEY = /(?:^|[{,])[ \t]*(?:-[ \t]+)*([A-Za-z][A-Za-z0-9_]*)[ \t]*：/g;
function fullWidthColons(text: string): { line: number; field: string }[] {
  const out: { line: number; field: string }[] = [];
  const known = knownFields();
  text.split('\n').forEach((raw, i) => {
    const line = raw.replace(/(^|\s)#.*$/, '$1');
    for (const m of line.matchAll(FULL_COLON_KEY)) if (known.has(m[1]) && out.length < 100) out.push({ line: i + 1, field: m[1] });
  });
  return out;
}
const colonProblem = (c: { line: number; field: string }, file?: string): Problem => ({ ...problem('rubric.fullWidthColon', '', { field: c.field, line: c.line }), file, line: c.line });

const isStackOverflow = (e: unknown): boolean => e instanceof RangeError || /call stack/i.test(String((e as Error)?.message ?? e));

export function loadProgram(text: string, file?: string): LoadResult {
  const lc = new LineCounter();
  const fail = (ps: Problem[]): LoadResult => ({ program: null, problems: ps.map((p) => ({ ...p, file, line: p.line ?? 1 })) });
  const deep = (line?: number): Problem => ({ ...problem('rubric.tooDeep', '', { max: MAX_NESTING }), line });

  const nonChars: Problem[] = [];
  for (const m of text.matchAll(NONCHARACTER)) {
    if (nonChars.length >= 20) break;
    const line = lineAt(text, m.index);
    const char = `U+${m[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
    nonChars.push({ ...problem('rubric.nonCharacter', '', { line, char }), line });
  }

  const deepAt = nestingLine(text, MAX_NESTING);
  if (deepAt) return fail([...nonChars, deep(deepAt)]);
  let doc: ReturnType<typeof parseDocument>;
  try {
    doc = parseDocument(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: true });
  } catch (e) {
    return fail([isStackOverflow(e) ? deep() : problem('rubric.yaml', '', { detail: String((e as Error)?.message ?? e).split('\n')[0] })]);
  }
  const lineOfNode = (n: unknown): number | undefined => (isNode(n) && n.range ? lc.linePos(n.range[0]).line : undefined);
  const lineOf = (path: Path): number | undefined => {
    for (let p = path; ; p = p.slice(0, -1)) {
      let node: unknown;
      try {
        node = p.length ? doc.getIn(p, true) : doc.contents;
      } catch {
        node = undefined;
      }
      const l = lineOfNode(node);
      if (l !== undefined) return l;
      if (p.length === 0) return undefined;
    }
  };
  // Every problem carries a line: where the path points, else the first line.
  const withPlace = (p: Problem, path?: Path): Problem => ({ ...p, file, line: p.line ?? (path ? lineOf(path) : undefined) ?? 1 });

  if (doc.errors.length) {
    // A full-width colon is the usual cause: say so, in place of the parser's words on that line.
    const colons = fullWidthColons(text);
    const hinted = new Set(colons.map((c) => c.line));
    const yamlErrors = doc.errors.map((e) => {
      const line = e.linePos?.[0]?.line ?? lc.linePos(e.pos[0]).line;
      return withPlace(isStackOverflow(e) ? deep(line) : { ...problem('rubric.yaml', '', { detail: e.message.split('\n')[0] }), line });
    });
    return {
      program: null,
      problems: [...nonChars, ...colons.map((c) => colonProblem(c, file)), ...yamlErrors.filter((p) => p.code !== 'rubric.yaml' || !hinted.has(p.line!))],
    };
  }
  if (doc.contents === null || doc.contents === undefined) return fail([...nonChars, problem('rubric.empty', '')]);
  const tooDeep = tooDeepAt(doc.contents);
  if (tooDeep) return fail([...nonChars, deep(lineOfNode(tooDeep))]);
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    // An alias to an anchor that is not set, or an alias bomb: at the first alias.
    let aliasLine: number | undefined;
    visit(doc, { Alias: (_k, n) => ((aliasLine = lineOfNode(n)), visit.BREAK) });
    if (isStackOverflow(e)) return fail([...nonChars, deep(aliasLine)]);
    return fail([...nonChars, { ...problem('rubric.yaml', '', { detail: (e as Error).message.split('\n')[0] }), line: aliasLine }]);
  }
  const problems: Problem[] = [...nonChars.map((p) => withPlace(p))];
  for (const h of hugeNumbers(data)) {
    // Reported once here; the checks below see no figure rather than an absurd one.
    const parent = h.path.length ? h.path.slice(0, -1).reduce<unknown>((o, k) => (o as Record<string | number, unknown>)[k], data) : undefined;
    if (parent && typeof parent === 'object') (parent as Record<string | number, unknown>)[h.path[h.path.length - 1]] = null;
    problems.push(withPlace(problem('rubric.numberTooLarge', pathString(h.path), { value: String(h.value), max: '1000000000' }), h.path));
  }
  const parsed = LooseProgram.safeParse(data);
  if (!parsed.success) {
    const colons = fullWidthColons(text);
    problems.push(...colons.map((c) => colonProblem(c, file)));
    // `{ points：5 }` parses as the field "points：5": the hint above says what it is.
    const colonField = (p: Problem): boolean => p.code === 'rubric.unknownField' && colons.some((c) => new RegExp(`^${c.field}[ \\t]*：`).test(String(p.params.field ?? '')));
    problems.push(...issueProblems(parsed.error.issues, [], undefined, data).map((x) => withPlace(x.problem, x.path)).filter((p) => !colonField(p)));
    // Report the meaning problems too, as far as the raw data allows: the format promises every problem at once.
    try {
      const seen = new Set(problems.map((p) => `${p.code} ${p.path}`));
      for (const p of meaningProblems(salvage(data), withPlace)) {
        if (!seen.has(`${p.code} ${p.path}`)) problems.push(p);
        seen.add(`${p.code} ${p.path}`);
      }
    } catch {
      // The data is too broken for the meaning checks; the shape problems above say why.
    }
    return { program: null, problems };
  }
  const program = parsed.data as unknown as Program;
  problems.push(...meaningProblems(program, withPlace));
  return { program: hasErrors(problems) ? null : program, problems };
}

/** Raw data that failed the schema, with the program-level defaults the checks rely on. */
function salvage(data: unknown): Program {
  const d = (data && typeof data === 'object' && !Array.isArray(data) ? data : {}) as Record<string, unknown>;
  const policies = (d.policies && typeof d.policies === 'object' ? d.policies : {}) as Record<string, unknown>;
  const arr = (v: unknown) => (Array.isArray(v) ? v.filter((x) => x && typeof x === 'object' && !Array.isArray(x)) : []);
  const variants = arr(d.variants).map((v) => ({ ...v, sections: arr((v as { sections?: unknown }).sections) }));
  const fixNodes = (ns: Record<string, unknown>[]): void => {
    for (const n of ns) {
      if (n.children !== undefined) {
        n.children = arr(n.children);
        fixNodes(n.children as Record<string, unknown>[]);
      }
      if (n.rule !== undefined && (!n.rule || typeof n.rule !== 'object' || typeof (n.rule as { kind?: unknown }).kind !== 'string')) delete n.rule;
    }
  };
  for (const v of variants) fixNodes(v.sections as Record<string, unknown>[]);
  return {
    ...d,
    units: d.units === undefined ? undefined : arr(d.units),
    vetoes: d.vetoes === undefined ? undefined : arr(d.vetoes),
    variants,
    policies: { notApplicable: { policy: 'full', clerkMayMark: false }, precision: 2, rankScope: 'variant', floorFinal: true, ...policies },
  } as unknown as Program;
}

/** Each rule against its own kind's schema (replaced by the parsed rule, defaults filled in), then the meaning checks. */
function meaningProblems(program: Program, withPlace: (p: Problem, path?: Path) => Problem): Problem[] {
  const problems: Problem[] = [];
  const broken = new Set<RubricNode>();
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
            problems.push(...issueProblems(r.error.issues, [...here, 'rule'], kind, n.rule).map((x) => withPlace(x.problem, x.path)));
            broken.add(n);
          }
        }
      }
      if (n.children) walk(n.children, [...here, 'children']);
    });
  };
  program.variants.forEach((v, vi) => walk(v.sections, ['variants', vi, 'sections']));
  // Meaning checks run even when some rules are broken (those are skipped), so every problem shows at once.
  for (const p of checkProgram(program, broken)) problems.push(withPlace(p, parsePath(p.path)));
  return problems;
}

/** `variants[0].sections[2].rule` → ['variants', 0, 'sections', 2, 'rule'] */
export function parsePath(s: string): Path {
  const out: Path = [];
  for (const m of s.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) out.push(m[2] !== undefined ? Number(m[2]) : m[1]);
  return out;
}
