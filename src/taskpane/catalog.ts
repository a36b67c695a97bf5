// The rubrics a clerk can pick: the bundled ones (rubrics/*.yaml, compiled into the web build as raw
// text, see bundled.ts) and a file the clerk loads. Both go through the engine's loadProgram, so a
// loaded file shows exactly the problems `dafen validate` prints. Pure: no DOM, no Office.
import { formatProblem, hasErrors, loadProgram, type Problem, type Program } from '../engine';
import { embeddedProgram, type WorkbookMeta } from '../layout';

/** A rubric file as text, fetched on demand (the bundled texts live in their own async chunk). */
export interface RubricSource {
  file: string;
  load(): Promise<string>;
}

/** The few top-level fields the picker shows, read without parsing the whole file. */
export interface RubricHead {
  id?: string;
  version?: string;
  title?: string;
  issuer?: string;
  year?: number;
}

export function readHead(text: string): RubricHead {
  const field = (name: string): string | undefined => {
    const m = new RegExp(`^${name}:[ \t]*(.+?)[ \t]*$`, 'm').exec(text);
    if (!m) return undefined;
    const v = m[1].replace(/[ \t]+#.*$/, '');
    return /^(['"]).*\1$/.test(v) ? v.slice(1, -1) : v;
  };
  const year = Number(field('year'));
  return { id: field('id'), version: field('version'), title: field('title'), issuer: field('issuer'), year: Number.isFinite(year) ? year : undefined };
}

/**
 * One rubric in the picker. Parsing and checking (loadProgram) happens on first use of `program` or
 * `problems`: the pane is ready after parsing only the rubric it shows first.
 */
export class CatalogEntry {
  readonly key: string;
  readonly head: RubricHead;
  private result: { program: Program | null; problems: Problem[] } | null = null;

  constructor(
    readonly file: string,
    readonly text: string,
    readonly builtin: boolean,
  ) {
    this.key = `${builtin ? 'builtin' : 'file'}:${file}`;
    this.head = readHead(text);
  }

  private load() {
    this.result ??= loadProgram(this.text, this.file);
    return this.result;
  }

  get program(): Program | null {
    return this.load().program;
  }

  get problems(): Problem[] {
    return this.load().problems;
  }

  get parsed(): boolean {
    return this.result !== null;
  }

  /** Whether this is the given program (and version), from the head alone. */
  is(id: string, version?: string): boolean {
    return this.head.id === id && (!version || this.head.version === version);
  }
}

export function entryFromText(file: string, text: string, builtin: boolean): CatalogEntry {
  return new CatalogEntry(file, text, builtin);
}

/** The rubric saved in the workbook (checked by id, version and content hash), as a picker entry. */
export function embeddedEntry(meta: WorkbookMeta): CatalogEntry | null {
  if (!meta.rubric || !embeddedProgram(meta)) return null;
  return entryFromText(`${meta.program.id}-${meta.program.version}（工作簿内保存）.json`, meta.rubric, false);
}

/** Loads every bundled rubric's text; parsing waits until an entry is used. */
export async function loadCatalog(sources: readonly RubricSource[]): Promise<CatalogEntry[]> {
  const entries = await Promise.all(
    sources.map(async (s) => {
      try {
        return entryFromText(s.file, await s.load(), true);
      } catch (error) {
        return entryFromText(s.file, `# ${String(error)}\n:`, true);
      }
    }),
  );
  return entries.sort((a, b) => (a.head.year ?? 0) - (b.head.year ?? 0) || a.file.localeCompare(b.file));
}

/** Text for the picker: 2018 台前县… (v1.0.0). */
export function entryLabel(e: CatalogEntry): string {
  const p = e.head;
  if (!p.title || !p.version || (e.parsed && !e.program)) return `${e.file}（有错误 / has errors）`;
  const issuer = p.issuer ?? '';
  const place = /^.+?(?:自治州|地区|[省市县区旗])/u.exec(issuer)?.[0] ?? issuer.slice(0, 6);
  const title = !p.year || p.title.startsWith(String(p.year)) ? p.title : `${p.year} ${p.title}`;
  return `${place}：${title}（v${p.version}）${e.builtin ? '' : ` — ${e.file}`}`;
}

/** `dafen validate`-style lines: `file:line path code message`, in the pane's language. */
export function problemLines(problems: readonly Problem[], lang: 'zh-CN' | 'en'): string[] {
  return problems.map((p) => formatProblem(p, lang === 'en' ? 'en' : 'zh'));
}

export function usable(e: CatalogEntry): boolean {
  return e.program !== null && !hasErrors(e.problems);
}

/**
 * Splits pasted unit names: one per line, or separated by 、，,；; tabs (a pasted Excel column).
 * Numbering such as `1.` / `（1）` / `1、` in front is dropped; duplicates are kept once. A line with a
 * colon is one unit with its tags (`米市巷街道：街道、进驻单位`), read by the engine's parseUnitSpec.
 */
export function parseUnitList(text: string): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  const pieces = text.split(/[\n\r]+/).flatMap((line) => (/[:：]/.test(line) ? [line] : line.split(/[\t、，,；;]+/)));
  for (const raw of pieces) {
    const name = raw
      .replace(/^\s*(?:[（(]?\d+[)）.、．]|\d+\s)\s*/u, '')
      .replace(/\u3000/g, ' ')
      .trim();
    if (name && !seen.has(name)) {
      seen.add(name);
      out.push(name);
    }
  }
  return out;
}

/** Units of a variant from the program's list, in the document's order. */
export function unitsOfVariant(program: Program, variantId: string): string[] {
  return (program.units ?? [])
    .filter((u) => u.variant === variantId)
    .sort((a, b) => (a.no ?? 0) - (b.no ?? 0))
    .map((u) => u.name);
}
