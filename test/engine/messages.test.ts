/**
 * The message catalogue: every code has zh-CN and English, each renders every parameter it uses
 * (never "undefined"), and the messages the engine really produces are complete too.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MESSAGES, problem, formatProblem, loadProgram, parseInput, type MessageCode, type InputSpec } from '../../src/engine';
import { ROOT, oneYaml } from './helpers';

const CODES = Object.keys(MESSAGES) as MessageCode[];

/** Index of the quote closing the string literal that starts at `i` (template literals may nest `${…}`). */
function skipString(src: string, i: number): number {
  const q = src[i];
  for (let j = i + 1; j < src.length; j++) {
    if (src[j] === '\\') { j++; continue; }
    if (q === '`' && src[j] === '$' && src[j + 1] === '{') {
      let d = 0;
      for (j = j + 1; j < src.length; j++) {
        if (src[j] === '`' || src[j] === "'") { j = skipString(src, j); continue; }
        if (src[j] === '{') d++;
        else if (src[j] === '}') { d--; if (d === 0) break; }
      }
      continue;
    }
    if (src[j] === q) return j;
  }
  return src.length;
}

/** The parameter names a message function reads (`p.name`). */
function paramsUsed(fn: (p: Record<string, string | number>) => string): string[] {
  return [...new Set([...fn.toString().matchAll(/\bp\.(\w+)/g)].map((m) => m[1]))];
}

describe('MESSAGES', () => {
  it('has codes', () => {
    expect(CODES.length).toBeGreaterThan(20);
  });

  it.each(CODES)('%s: zh and en, both rendering every parameter', (code) => {
    const def = MESSAGES[code];
    expect(['error', 'warning']).toContain(def.severity);
    const names = [...new Set([...paramsUsed(def.zh), ...paramsUsed(def.en)])];
    const params = Object.fromEntries(names.map((n) => [n, `«${n}»`]));
    const zh = def.zh(params);
    const en = def.en(params);
    for (const text of [zh, en]) {
      expect(text.trim().length).toBeGreaterThan(0);
      expect(text).not.toMatch(/undefined|NaN|\[object Object\]/);
    }
    // Each language shows each parameter it reads.
    for (const n of paramsUsed(def.zh)) expect(zh).toContain(`«${n}»`);
    for (const n of paramsUsed(def.en)) expect(en).toContain(`«${n}»`);
    // Chinese in zh; the English is not just the Chinese.
    expect(zh).toMatch(/[\u4e00-\u9fff]/);
    expect(en).not.toBe(zh);
    expect(en.replace(/«\w+»/g, '')).toMatch(/[A-Za-z]{3}/);
  });

  it.each(CODES)('%s: both languages read the same parameters', (code) => {
    const def = MESSAGES[code];
    expect(paramsUsed(def.en).sort()).toEqual(paramsUsed(def.zh).sort());
  });

  it('problem() renders both languages and formatProblem prints file:line path code message', () => {
    const p = { ...problem('rubric.duplicateId', 'variants[0].sections[1].id', { id: 's1', first: 'variants[0].sections[0]' }), file: 'a.yaml', line: 12 };
    expect(p.message.zh).toBe('编号“s1”重复（首次出现于 variants[0].sections[0]）');
    expect(p.message.en).toBe('Duplicate id "s1" (first at variants[0].sections[0])');
    expect(formatProblem(p, 'zh')).toBe('a.yaml:12 variants[0].sections[1].id rubric.duplicateId 编号“s1”重复（首次出现于 variants[0].sections[0]）');
    expect(formatProblem({ ...problem('rubric.pointsMismatch', 'x', { title: 't', declared: '4', sum: '5' }) }, 'en')).toBe('x warning rubric.pointsMismatch "t" declares 4 points but its parts add up to 5; the subtotal is capped at 4');
  });
});

describe('every problem call in the engine passes the parameters its message reads', () => {
  // Static scan of src/engine: problem('<code>', <path>, { a, b: …, ...x }) call sites.
  const dir = join(ROOT, 'src/engine');
  const files = [...readdirSync(dir).filter((f) => f.endsWith('.ts')).map((f) => join(dir, f)),
    ...readdirSync(join(dir, 'kinds')).filter((f) => f.endsWith('.ts')).map((f) => join(dir, 'kinds', f))];
  const sites: { file: string; code: string; keys: string[] | null }[] = [];
  for (const file of files) {
    const src = readFileSync(file, 'utf8');
    for (const m of src.matchAll(/problem\('([\w.]+)',/g)) {
      // Find the params object: the first `{` after the path argument at this call's depth.
      let i = m.index! + m[0].length;
      let depth = 0;
      let start = -1;
      for (; i < src.length; i++) {
        const ch = src[i];
        if (ch === '`' || ch === "'") i = skipString(src, i);
        else if (ch === '(' || ch === '[') depth++;
        else if (ch === ')' || ch === ']') { if (depth === 0) break; depth--; }
        else if (ch === '{' && depth === 0) { start = i; break; }
      }
      if (start < 0) { sites.push({ file, code: m[1], keys: [] }); continue; }
      let d = 0;
      let end = start;
      for (let j = start; j < src.length; j++) {
        if (src[j] === '`' || src[j] === "'") { j = skipString(src, j); continue; }
        if ('{(['.includes(src[j])) d++;
        else if ('})]'.includes(src[j])) { d--; if (d === 0) { end = j; break; } }
      }
      const body = src.slice(start + 1, end);
      // Top-level keys only.
      const keys: string[] = [];
      let k = 0;
      let buf = '';
      for (let j = 0; j < body.length; j++) {
        const ch = body[j];
        if (ch === '`' || ch === "'") { const e = skipString(body, j); buf += body.slice(j, e + 1); j = e; continue; }
        if ('{(['.includes(ch)) k++;
        if ('})]'.includes(ch)) k--;
        if (ch === ',' && k === 0) { keys.push(buf); buf = ''; } else buf += ch;
      }
      keys.push(buf);
      const names = keys.map((s) => s.trim()).filter(Boolean);
      sites.push({ file, code: m[1], keys: names.some((s) => s.startsWith('...')) ? null : names.map((s) => s.split(':')[0].trim()) });
    }
  }

  it('finds the call sites', () => {
    expect(sites.length).toBeGreaterThan(15);
    expect(sites.filter((s) => s.keys && s.keys.length > 0).length).toBeGreaterThan(15);
  });

  it('each literal call gives every parameter of its message', () => {
    const gaps: string[] = [];
    for (const s of sites) {
      expect(CODES, `${s.file}: unknown code ${s.code}`).toContain(s.code);
      if (s.keys === null) continue; // spread: checked at run time below
      const def = MESSAGES[s.code as MessageCode];
      const need = [...new Set([...paramsUsed(def.zh), ...paramsUsed(def.en)])];
      for (const n of need) if (!s.keys.includes(n)) gaps.push(`${s.file.replace(ROOT, '')}: ${s.code} lacks ${n}`);
    }
    expect(gaps).toEqual([]);
  });
});

describe('messages the engine really produces are complete', () => {
  const clean = (texts: string[]) => texts.forEach((t) => expect(t).not.toMatch(/undefined|«/));

  it('input problems', () => {
    const specs: InputSpec[] = [
      { key: 'a#n', criterionId: 'a', name: 'n', type: 'count', label: '次数', hint: '', hintEn: '', min: '0' },
      { key: 'a#p', criterionId: 'a', name: 'p', type: 'percent', label: '比例', hint: '', hintEn: '', min: '0', max: '1' },
      { key: 'a#s', criterionId: 'a', name: 's', type: 'score', label: '得分', hint: '', hintEn: '', min: '0', max: '5', step: '0.5' },
      { key: 'a#y', criterionId: 'a', name: 'y', type: 'yesno', label: '是否', hint: '', hintEn: '' },
      { key: 'a#c', criterionId: 'a', name: 'c', type: 'choice', label: '选项', hint: '', hintEn: '', options: ['甲', '乙'] },
      { key: 'a#x', criterionId: 'a', name: 'x', type: 'number', label: '数', hint: '', hintEn: '' },
    ];
    const seen = new Set<string>();
    for (const s of specs) {
      for (const raw of ['abc', -1, 1.5, 150, 6, 4.3, '丙', NaN]) {
        for (const p of parseInput(s, raw).problems) {
          seen.add(p.code);
          clean([p.message.zh, p.message.en]);
        }
      }
    }
    expect([...seen].sort()).toEqual(['input.negative', 'input.notInteger', 'input.notNumber', 'input.notYesNo', 'input.outOfRange', 'input.percentAbove1', 'input.step', 'input.unknownChoice']);
  });

  it('rubric problems', () => {
    const texts = [
      oneYaml('{ id: c, title: 甲, points: 5, rule: { kind: nope } }'),
      oneYaml('{ id: c, title: 甲, points: 5, rule: { kind: tiers, input: { label: 率 }, tiers: [{ min: 2, points: 3 }, { min: 1, points: 9 }] } }'),
      oneYaml('{ id: c, title: 甲, rule: { kind: direct } }'),
      oneYaml('{ id: c, title: 甲, points: 5, rule: { kind: direct }, bogus: 1 }'),
      oneYaml('{ id: c, title: 甲, points: 5, rule: { kind: yesno, question: 是否, yes: 2 } }', { sectionPoints: 9, fullMark: 7 }),
      'id: [',
    ];
    for (const t of texts) for (const p of loadProgram(t).problems) clean([p.message.zh, p.message.en]);
  });
});
