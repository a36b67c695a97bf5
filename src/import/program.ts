/**
 * Tables → a rubric in the existing format (docs/RUBRIC-FORMAT.md): variants from the tables, rules
 * read by the grammar, program-level clauses (满分100分折合2分, 不涉及…核实后赋分, 一票否决,
 * 累计加减分最高为N分) from the text around the tables. The result is checked by loadProgram.
 */
import { stringify } from 'yaml';
import { loadProgram, type Problem, type Program, type Rule } from '../engine';
import type { Grid } from './grid';
import { readRule, SPLIT_REF, type CohortReading, type Confidence, type Reading, type RuleReading } from './grammar';
import { importProblem, type ImportProblem } from './messages';
import { fold } from './numbers';
import { buildTable, type ImportNode, type ImportTable } from './structure';

export interface CriterionReport {
  id: string;
  variant: string;
  title: string;
  text: string;
  points?: number;
  kind: string;
  /** The rule's parameters in plain words (每次扣0.5分；扣完为止). */
  params: string;
  confidence: Confidence;
  /** Reasons to confirm, zh-CN; empty when the reading is certain. */
  confirm: string[];
  readings: Reading[];
  line?: number;
}

export interface ImportResult {
  /** The rubric object in the file format (what the YAML holds). */
  rubric: Record<string, unknown> | null;
  yaml: string;
  /** The rubric as loadProgram reads it back (null when it has errors). */
  program: Program | null;
  criteria: CriterionReport[];
  problems: (ImportProblem | Problem)[];
}

export interface AroundLine {
  line: number;
  text: string;
}

interface OutNode {
  id: string;
  title: string;
  points?: number;
  role?: string;
  effect?: string;
  method?: string;
  content?: string;
  text?: string;
  target?: string;
  note?: string;
  cohort?: CohortReading;
  rule?: Rule;
  children?: OutNode[];
}

const COLUMN_SOURCE: Record<string, string> = { text: 'text', content: 'content', method: 'method', target: 'target', index: 'index' };

function variantMeta(grid: Grid, around: AroundLine[], prevEnd: number): { title?: string; annex?: string; unitLabel?: string; dateLabel?: string } {
  const start = grid.lineOf?.[0] ?? 0;
  const before = around.filter((a) => a.line < start && a.line > prevEnd).map((a) => a.text);
  const joined: string[] = [];
  // a title split over two lines (…改革工作 / 考核评分细则（县直）) is joined
  for (let i = 0; i < before.length; i++) {
    const t = before[i].trim();
    if (!t) continue;
    joined.push(t);
  }
  let title: string | undefined;
  for (let i = joined.length - 1; i >= 0 && !title; i--) {
    if (/(细则|打分表|评分表|分值构成|考核表)(（[^）]*）|\([^)]*\))?$/.test(joined[i]) && !/^附件[:：]/.test(joined[i])) {
      title = joined[i];
      if (i > 0 && /工作$|考核$/.test(joined[i - 1]) && !/[：:]/.test(joined[i - 1])) title = joined[i - 1] + title;
    }
  }
  const annex = [...joined].reverse().map((t) => /^\s*(附件\s*\d*)\s*[：:]?\s*$/.exec(t)?.[1]).find(Boolean);
  const labels = joined.join(' ');
  const unitLabel = /(被考核单位|考核单位|考核乡镇|考核部门)\s*[：:]/.exec(labels)?.[1];
  const dateLabel = /(考核时间|考核日期|日期)\s*[：:]/.exec(labels)?.[1];
  return { title, annex, unitLabel, dateLabel };
}

const SRC_POINTS = (table: ImportTable): string => (table.pointsLevel ? 'points1' : 'points');

function columnsOf(table: ImportTable, depthOffset: number): { header: string; source: string }[] {
  const out: { header: string; source: string }[] = [];
  let level = depthOffset;
  for (const c of table.columns) {
    if (c.role === 'level') out.push({ header: c.header, source: `level${++level}` });
    else if (c.role === 'points') out.push({ header: c.header, source: SRC_POINTS(table) });
    else if (COLUMN_SOURCE[c.role] && c.role !== 'index') out.push({ header: c.header, source: COLUMN_SOURCE[c.role] });
  }
  if (!out.some((c) => c.source.startsWith('points'))) out.push({ header: '分值', source: 'points' });
  return out.filter((c) => !/^level[5-9]/.test(c.source));
}

/** Plain words for a rule's parameters, as the clerk reads them in the review table. */
export function describeRule(rule: Rule, points?: number): string {
  const r = rule as Record<string, any>;
  const f = (n: number) => (typeof n === 'number' && Number.isFinite(n) ? String(+n.toFixed(6)) : '？');
  const lineWords = (l: Record<string, any>, verb: string): string => {
    const others = l.oneOf !== undefined ? ((r.lines as any[]) ?? []).filter((o) => o !== l && o.oneOf === l.oneOf).map((o) => `“${o.label}”`) : [];
    const cap = (l.cap !== undefined ? `，最多${verb}${f(l.cap)}分` : '') + (others.length ? `（与${others.join('、')}只${verb}其一）` : '');
    switch (l.type) {
      case 'count': return `${l.label}：每${l.unit ?? '次'}${verb}${f(l.rate)}分${cap}`;
      case 'flag': return `${l.label}：${verb}${f(l.amount)}分${cap}`;
      case 'shortfall': return l.input === 'percent' ? `${l.label}：低于${f(l.target * 100)}%时每低${f(l.per * 100)}个百分点${verb}${f(l.rate)}分${cap}` : `${l.label}：少于${f(l.target)}时每少${f(l.per)}${verb}${f(l.rate)}分${cap}`;
      case 'excess': return `${l.label}：超过${f(l.threshold)}后每多${f(l.per)}${verb}${f(l.rate)}分${cap}`;
      case 'ratio': return `${l.label}：按比例${verb}分，100%时${verb}${f(l.rate)}分${cap}`;
      case 'amount': return `${l.label}：视情${verb}${f(l.min)}-${f(l.max ?? points ?? 0)}分`;
      case 'zero': return `${l.label}：此项不得分${l.voids?.length ? `（${l.voids.join('、')}同样不得分）` : ''}`;
      default: return String(l.label ?? '');
    }
  };
  switch (r.kind) {
    case 'direct': return `直接打分0-${f(r.max ?? points ?? 0)}分${r.step ? `，步长${f(r.step)}` : ''}`;
    case 'yesno': return `是${f(r.yes ?? points ?? 0)}分，否${f(r.no ?? 0)}分`;
    case 'choice': return (r.options as any[]).map((o) => `${o.label}${f(o.points)}分`).join('；');
    case 'deduct': return [...(r.lines as any[]).map((l) => lineWords(l, '扣')), '扣完为止'].join('；');
    case 'tally': return [...(r.lines as any[]).map((l) => lineWords(l, r.verb === 'deduct' ? '扣' : '加')), r.cap !== undefined ? `累计不超过${f(r.cap)}分` : '不封顶'].join('；');
    case 'proportional': return r.input === 'ratio' ? `按比例记分：满分×${r.done?.label ?? '比例'}` : `按比例记分：满分×${r.done?.label ?? '完成数'}÷${typeof r.of === 'number' ? f(r.of) : r.of?.label ?? '应完成数'}`;
    case 'tiers': return (r.tiers as any[]).slice().reverse().map((t) => `${r.input?.type === 'percent' ? `${f(t.min * 100)}%` : f(t.min)}${t.above ? '以上（不含）' : '以上'}${f(t.points)}分`).join('；') + (r.else ? `；其余${f(r.else)}分` : '');
    case 'rank': return r.table ? (r.table as any[]).map((t) => `前${t.upTo}名${f(t.points)}分`).join('；') : `第1名${f(r.step?.first ?? 0)}分，每低一名减${f(r.step?.per ?? 0)}分，最低${f(r.step?.min ?? 0)}分`;
    case 'best': return `每项取最高：${(r.options as any[]).map((o) => `${o.label}${f(o.points)}分`).join('、')}${r.cap !== undefined ? `；累计不超过${f(r.cap)}分` : ''}`;
    default: return '';
  }
}

/** A cohort clause in plain words, after the rule's (；没有进驻大厅的部门：取最低分). */
export function cohortWords(c: CohortReading | undefined): string {
  if (!c) return '';
  return `；${c.for.flag}：取其他单位本项的${c.stat === 'min' ? '最低分' : '平均分'}${c.offset ? `减${String(+c.offset.toFixed(6))}分` : ''}${c.reduce ? '减录入的下浮分值' : ''}`;
}

/** Program-level clauses in the text around the tables and in the criteria. */
function programClauses(around: AroundLine[], allText: string): { policies: Record<string, unknown>; vetoes: Record<string, unknown>[]; notes: string[] } {
  const text = around.map((a) => a.text).join('\n');
  const f = fold(text);
  const policies: Record<string, unknown> = { notApplicable: { policy: 'full', clerkMayMark: false }, precision: 2 };
  const notes: string[] = [];
  const conv = /满分\s*(\d+(?:\.\d+)?)\s*分\s*折合\s*(\d+(?:\.\d+)?)\s*分|总分折合为?\s*(\d+(?:\.\d+)?)\s*分/.exec(f);
  if (conv) {
    const from = conv[1] ? Number(conv[1]) : 100;
    const to = Number(conv[2] ?? conv[3]);
    policies.conversion = { from, to, quote: sentenceAt(text, conv.index) };
  }
  const na = /不涉及[^。\n]*?(核实后赋分|赋分|认定)|无具体工作任务的单位[^。\n]*?认定/.exec(text);
  if (na) policies.notApplicable = { policy: 'full', clerkMayMark: true, quote: sentenceAt(text, na.index) };
  const net = /累计加减分最高为?\s*(\d+(?:\.\d+)?)\s*分/.exec(fold(allText + '\n' + text));
  if (net) {
    policies.netCap = Number(net[1]);
    policies.netCapQuote = net[0];
  }
  const vetoes: Record<string, unknown>[] = [];
  const seen = new Set<string>();
  for (const m of text.matchAll(/[^。\n]*(一票否决|取消[^。\n]{0,4}评优资格)[^。\n]*。?/g)) {
    const s = m[0].trim();
    if (seen.has(s)) continue;
    seen.add(s);
    const label = s.replace(/^（[一二三四五六七八九十]+）[^。]*?。/, '').replace(/[，,]?\s*(实行)?一票否决[^。]*。?$/, '').replace(/[，,]?\s*(一律|除)?取消[^。]*$/, '').replace(/的$/, '').replace(/^[^，,]*?(出现|对)/, '$1').slice(0, 60) || '一票否决';
    vetoes.push({ id: `veto${vetoes.length + 1}`, label, text: s });
  }
  if (/百分制/.test(text)) notes.push('原文“考核实行百分制”。');
  return { policies, vetoes, notes };
}

/**
 * A list of the assessed units in an annex (附件1 …考核对象: 序号 | 部门 | 序号 | 部门 …, one cell per line):
 * the numbered names, in the document's order.
 */
export function annexUnits(lines: readonly string[]): { no: number; name: string }[] {
  const out: { no: number; name: string }[] = [];
  for (let i = 0; i < lines.length; i++) {
    let k = 0;
    while (lines[i + 2 * k]?.trim() === '序号' && /^(部门|单位|单位名称|部门名称|被考核单位|考核单位)$/.test(lines[i + 2 * k + 1]?.trim() ?? '')) k++;
    if (!k) continue;
    let j = i + 2 * k;
    for (; j + 1 < lines.length; j += 2) {
      const no = lines[j].trim();
      const name = lines[j + 1].trim();
      if (!no && !name) continue;
      if (!/^\d+$/.test(no) || !name || name.length > 30 || /[。：:]/.test(name)) break;
      out.push({ no: Number(no), name });
    }
    if (out.length) return out.sort((a, b) => a.no - b.no);
    i = j;
  }
  return out;
}

const TOWN = /(镇|乡|街道|街道办事处|办事处)$/;

/** Which variant an annex unit belongs to: 乡镇/街道 names to a 乡镇 variant, the rest to the other. */
function variantOf(name: string, variants: { id: string; name: string }[]): string {
  if (variants.length === 1) return variants[0].id;
  const town = variants.find((v) => /乡镇|乡|镇|街道/.test(v.name));
  const other = variants.find((v) => v !== town) ?? variants[0];
  return town && TOWN.test(name) ? town.id : other.id;
}

function sentenceAt(text: string, i: number): string {
  let s = i;
  while (s > 0 && !/[。\n]/.test(text[s - 1])) s--;
  let e = i;
  while (e < text.length && !/[。\n]/.test(text[e])) e++;
  return text.slice(s, e < text.length && text[e] === '。' ? e + 1 : e).trim();
}

/** Build the rubric from the tables of one document. */
export function buildProgram(grids: Grid[], around: AroundLine[], source: string): ImportResult {
  const problems: (ImportProblem | Problem)[] = [];
  const criteria: CriterionReport[] = [];
  const variants: Record<string, unknown>[] = [];
  let prevEnd = 0;
  const allCriterionText: string[] = [];
  const units: { name: string; variant: string }[] = [];
  grids.forEach((grid, gi) => {
    const table = buildTable(grid);
    problems.push(...table.problems);
    const meta = variantMeta(grid, around, prevEnd);
    prevEnd = grid.lineOf?.[grid.lineOf.length - 1] ?? prevEnd;
    const vid = `v${gi + 1}`;
    // 考核部门 listed in the table itself (交通局、教育局…等26个部门)
    for (const u of table.units) if (!units.some((x) => x.name === u)) units.push({ name: u, variant: vid });
    const name = /（([^）]{1,12})）$|\(([^)]{1,12})\)$/.exec(meta.title ?? '')?.slice(1).find(Boolean) ?? (grids.length > 1 ? `表${gi + 1}` : '评分细则');
    const depthOffset = grid.banner?.some(Boolean) ? 1 : 0;
    let n = 0;
    const record = (out: OutNode, rr: RuleReading, text: string, points: number | undefined, line: number | undefined): void => {
      const id = out.id;
      if (rr.cohort) out.cohort = rr.cohort;
      out.rule = rr.rule;
      if (rr.confidence !== 'high') {
        out.note = `需确认：${rr.confirm.join('；') || '计分办法需确认'}`;
        problems.push(importProblem('import.needsConfirm', id, { id, reason: rr.confirm.join('；') || '计分办法需确认', line: line ?? '' }));
      }
      criteria.push({ id, variant: vid, title: out.title, text, points, kind: String((rr.rule as { kind: string }).kind), params: describeRule(rr.rule, points) + cohortWords(rr.cohort), confidence: rr.confidence, confirm: rr.confirm, readings: rr.readings, line });
    };
    const walk = (nodes: ImportNode[], prefix: string, role: 'base' | 'bonus' | 'penalty'): OutNode[] => {
      const outs: OutNode[] = [];
      const nextId = (): string => (prefix ? `${prefix}.${outs.length + 1}` : `s${outs.length + 1}`);
      for (const node of nodes) {
        const id = nextId();
        const r: 'base' | 'bonus' | 'penalty' = prefix ? role : node.role ?? 'base';
        const out: OutNode = { id, title: node.title };
        outs.push(out);
        if (node.points !== undefined) out.points = node.points;
        if (!prefix && node.role) out.role = node.role;
        if (node.effect) out.effect = node.effect;
        if (node.method) out.method = node.method;
        if (node.content) out.content = node.content;
        if (node.text) out.text = node.text;
        if (node.target) out.target = node.target;
        if (node.children?.length) {
          out.children = walk(node.children, id, r);
          continue;
        }
        n++;
        const text = node.text ?? node.content ?? node.title;
        allCriterionText.push(text);
        const rr = readRule(text, { points: node.points, role: r, deductive: table.deductive, subtract: node.effect === 'subtract', context: [node.title, node.text ? node.content : ''].filter(Boolean).join('；') });
        // 排名前三位,依次加…: rows of their own right after this one (no points of their own)
        const parts: { out: OutNode; rr: RuleReading; text: string }[] = [];
        if (prefix) {
          for (const sp of rr.split ?? []) {
            const o: OutNode = { id: '', title: '', text: sp.text, ...(node.method ? { method: node.method } : {}), ...(node.target ? { target: node.target } : {}) };
            parts.push({ out: o, rr: sp.reading, text: sp.text });
          }
        }
        if (parts.length) {
          parts.forEach((p, k) => (p.out.id = prefix ? `${prefix}.${outs.length + 1 + k}` : `s${outs.length + 1 + k}`));
          const ref = new Map(parts.map((p, k) => [`${SPLIT_REF}${k + 1}`, p.out.id]));
          for (const l of ((rr.rule as { lines?: { voids?: string[] }[] }).lines ?? [])) if (l.voids) l.voids = l.voids.map((v) => ref.get(v) ?? v);
        } else {
          for (const l of ((rr.rule as { lines?: { voids?: string[] }[] }).lines ?? [])) delete l.voids;
        }
        record(out, rr, text, node.points, node.line);
        for (const p of parts) {
          n++;
          outs.push(p.out);
          record(p.out, p.rr, p.text, undefined, node.line);
        }
      }
      return outs;
    };
    const sections = walk(table.sections, '', 'base');
    if (n === 0) problems.push(importProblem('import.noCriteria', `variants[${gi}]`));
    const baseSum = table.sections.filter((s) => !s.role).reduce((t, s) => t + (s.points ?? 0), 0);
    const v: Record<string, unknown> = {
      id: vid,
      name,
      title: meta.title ?? '评分细则',
      ...(meta.annex ? { annex: meta.annex } : {}),
      ...(meta.unitLabel ? { unitLabel: meta.unitLabel } : {}),
      ...(meta.dateLabel ? { dateLabel: meta.dateLabel } : {}),
      ...(Math.abs(baseSum - 100) < 1e-9 ? { fullMark: 100 } : {}),
      columns: columnsOf(table, depthOffset),
      sections,
    };
    variants.push(v);
  });
  const clauses = programClauses(around, allCriterionText.join('\n'));
  const annex = annexUnits(around.map((a) => a.text));
  const aroundText = around.map((a) => a.text);
  const title = aroundText.find((t) => /(实施方案|考核办法|考核细则|评分细则|考核方案)$/.test(t) && t.length <= 60) ?? (variants[0]?.title as string) ?? '评分细则';
  const tIdx = aroundText.indexOf(title);
  const issuer = aroundText.slice(0, Math.max(0, tIdx)).reverse().find((t) => /(办公室|领导小组|人民政府|委员会|局|办)$/.test(t) && t.length <= 40)
    ?? aroundText.find((t) => /(办公室|领导小组|人民政府|委员会)$/.test(t) && t.length <= 40) ?? '（原文未写明发文单位）';
  const docNo = /[\u4e00-\u9fa5]{1,8}〔\d{4}〕\d+号/.exec(aroundText.join('\n'))?.[0];
  const year = Number(/(20\d{2}|19\d{2})年/.exec(aroundText.join('\n') + '\n' + title)?.[1] ?? new Date().getFullYear());
  const rubric: Record<string, unknown> = {
    id: slug(source),
    version: '0.1.0',
    title,
    issuer,
    ...(docNo ? { docNo } : {}),
    year,
    source,
    notes: ['由“导入评分细则”从原文表格生成：标“需确认”的条目，计分办法须由考核人员确认。', ...clauses.notes],
    policies: clauses.policies,
    ...(clauses.vetoes.length ? { vetoes: clauses.vetoes } : {}),
    variants,
    ...(units.length ? { units } : annex.length ? { units: annex.map((u) => ({ no: u.no, name: u.name, variant: variantOf(u.name, variants as { id: string; name: string }[]) })) } : {}),
  };
  if (!variants.length) return { rubric: null, yaml: '', program: null, criteria, problems };
  const yaml = `# yaml-language-server: $schema=./rubric.schema.json\n# 导入自 ${source}（dafen import）。标“需确认”的条目须由考核人员确认。\n${stringify(rubric, { lineWidth: 0 })}`;
  const loaded = loadProgram(yaml, source);
  problems.push(...loaded.problems);
  return { rubric, yaml, program: loaded.program, criteria, problems };
}

function slug(source: string): string {
  const base = source.replace(/^.*[\\/]/, '').replace(/\.[^.]+$/, '');
  const s = base.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[^A-Za-z0-9]+/, '').replace(/-+$/, '');
  return s || 'imported';
}

/**
 * The clerk corrects a criterion's rule in the review table by typing its parameters in words (as
 * describeRule writes them, or the document's own phrasing): the rule is read again with the same
 * grammar, the rubric re-checked with loadProgram, and the new result returned (the old one is kept).
 */
export function reviseCriterion(r: ImportResult, variant: string, id: string, words: string): ImportResult {
  if (!r.rubric) return r;
  const rubric = JSON.parse(JSON.stringify(r.rubric)) as Record<string, any>;
  const v = (rubric.variants as any[]).find((x) => x.id === variant);
  let hit: { node: any; role: 'base' | 'bonus' | 'penalty' } | undefined;
  const walk = (nodes: any[], role: 'base' | 'bonus' | 'penalty'): void => {
    for (const n of nodes) {
      const rr = (n.role as 'bonus' | 'penalty' | undefined) ?? role;
      if (n.id === id && n.rule) hit = { node: n, role: rr };
      if (n.children) walk(n.children, rr);
    }
  };
  if (v) walk(v.sections, 'base');
  if (!hit) return r;
  const { node, role } = hit;
  const rr = readRule(words, { points: node.points, role, subtract: node.effect === 'subtract' });
  // a criterion's own words split nothing off here: no split rows to void
  for (const l of ((rr.rule as { lines?: { voids?: string[] }[] }).lines ?? [])) delete l.voids;
  node.rule = rr.rule;
  if (rr.cohort) node.cohort = rr.cohort;
  if (rr.confidence === 'high') delete node.note;
  else node.note = `需确认：${rr.confirm.join('；')}`;
  const yaml = r.yaml.split('\n').slice(0, 2).join('\n') + '\n' + stringify(rubric, { lineWidth: 0 });
  const loaded = loadProgram(yaml, String(rubric.source));
  const criteria = r.criteria.map((c) =>
    c.variant === variant && c.id === id
      ? { ...c, kind: String((rr.rule as { kind: string }).kind), params: describeRule(rr.rule, node.points) + cohortWords(node.cohort), confidence: rr.confidence, confirm: rr.confirm, readings: rr.readings }
      : c,
  );
  const kept = r.problems.filter((p) => String(p.code).startsWith('import.') && !(p.code === 'import.needsConfirm' && p.path === id));
  const problems = [...kept, ...(rr.confidence === 'high' ? [] : [importProblem('import.needsConfirm', id, { id, reason: rr.confirm.join('；') })]), ...loaded.problems];
  return { rubric, yaml, program: loaded.program, criteria, problems };
}
