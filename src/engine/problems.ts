/**
 * Problems are data, never thrown strings: a code, where it happened, parameters, and the message in
 * both languages, rendered from the catalog in messages.ts. Everything that checks something returns
 * Problem[] so a caller can show every problem at once.
 */
import { MESSAGES, type MessageCode } from './messages';

export type Severity = 'error' | 'warning';

export interface Problem {
  code: MessageCode;
  severity: Severity;
  /** Where: a dotted path into the rubric (`variants[0].sections[2].children[1].rule`), or an input key. */
  path: string;
  /** 1-based line in the source file, where the problem comes from a file. */
  line?: number;
  /** The file, where known. */
  file?: string;
  params: Record<string, string | number>;
  message: { zh: string; en: string };
}

export function problem(
  code: MessageCode,
  path: string,
  params: Record<string, string | number> = {},
  severity?: Severity,
): Problem {
  const def = MESSAGES[code];
  return {
    code,
    severity: severity ?? def.severity,
    path,
    params,
    message: { zh: def.zh(params), en: def.en(params) },
  };
}

export function hasErrors(problems: readonly Problem[]): boolean {
  return problems.some((p) => p.severity === 'error');
}

/** One line per problem, as `file:line path code message` (zh first, English after a slash). */
export function formatProblem(p: Problem, lang: 'zh' | 'en' | 'both' = 'both'): string {
  const where = `${p.file ?? ''}${p.line !== undefined ? `:${p.line}` : ''}`;
  const msg = lang === 'zh' ? p.message.zh : lang === 'en' ? p.message.en : `${p.message.zh} / ${p.message.en}`;
  return `${where ? where + ' ' : ''}${p.path} ${p.severity === 'warning' ? 'warning ' : ''}${p.code} ${msg}`;
}
