/**
 * Small tables of our own in the styles real documents use (test/fixtures/import/*.txt), read as text
 * and as generated .docx/.xlsx, and bad input: every failure is a coded problem with a zh-CN and an
 * English message, never an exception.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileSheet, score, type RubricNode } from '../../src/engine';
import { importFile, importGrids, importText, readTextTables, type ImportResult } from '../../src/import';
import { headerRole } from '../../src/import/headers';
import { ruleSignature } from '../../src/import/compare';
import { docxFrom, xlsxFrom } from './ooxml-fixtures';

const fixture = (f: string): string => readFileSync(new URL(`../fixtures/import/${f}`, import.meta.url), 'utf8');

const leaves = (nodes: RubricNode[]): RubricNode[] => nodes.flatMap((n) => (n.children?.length ? leaves(n.children) : [n]));
const shape = (r: ImportResult) =>
  r.program!.variants[0].sections.map((s) => ({ title: s.title, points: s.points, role: s.role, criteria: leaves(s.children ?? []).map((c) => [c.title || c.text, c.points, ruleSignature(c.rule!, c.points)]) }));

const FILES = ['circled-self-score.txt', 'tiers-bonus-penalty.txt', 'numbered-target.txt'];

describe('own tables', () => {
  it('①②③ clauses in one cell are lines of one criterion; 自评分/考核分 columns are left out', () => {
    const r = importText(fixture('circled-self-score.txt'), 'circled-self-score.txt');
    expect(r.problems.filter((p) => p.severity === 'error')).toEqual([]);
    const v = r.program!.variants[0];
    expect(v.title).toBe('2023年度政务服务工作考核评分细则');
    expect(v.annex).toBe('附件1');
    expect(v.fullMark).toBe(100);
    expect(v.columns.map((c) => `${c.header}:${c.source}`)).toEqual(['考核项目:level1', '考核内容:level2', '分值:points', '评分标准:text']);
    const [first] = leaves(v.sections);
    expect(first.title).toBe('1.领导重视');
    expect(first.points).toBe(10);
    const lines = (first.rule as { lines: { type: string; text: string }[] }).lines;
    expect(lines.map((l) => [l.type, l.text])).toEqual([['flag', '①未成立领导小组的扣3分'], ['flag', '②未召开专题会议的扣2分'], ['count', '③工作方案每缺一项扣1分']]);
    expect(shape(r)[1].criteria).toEqual([
      ['1.办件质量', 40, ruleSignature({ kind: 'deduct', lines: [{ type: 'count', rate: 2 }] } as never, 40)],
      ['2.群众满意度', 40, ruleSignature({ kind: 'tiers', input: { type: 'percent' }, tiers: [{ min: 0.8, points: 20 }, { min: 0.9, points: 30 }, { min: 0.95, points: 40 }], else: 0 } as never, 40)],
    ]);
    expect(r.criteria.every((c) => c.confidence === 'high')).toBe(true);
  });

  it('percent tiers, a shortfall in percentage points, 加分项 and 扣分项 sections, and the clauses under the table', () => {
    const r = importText(fixture('tiers-bonus-penalty.txt'), 'tiers-bonus-penalty.txt');
    const p = r.program!;
    expect(p.policies.conversion).toMatchObject({ from: 100, to: 10 });
    expect(p.policies.notApplicable).toMatchObject({ policy: 'full', clerkMayMark: true });
    expect(p.vetoes?.map((x) => x.text)).toEqual(['窗口出现严重违纪行为的，实行一票否决，取消年度评优资格。']);
    const s = shape(r);
    expect(s.map((x) => [x.title, x.points, x.role])).toEqual([['一、网上服务（40分）', 40, undefined], ['二、窗口服务（60分）', 60, undefined], ['三、加分项', undefined, 'bonus'], ['四、扣分项', undefined, 'penalty']]);
    expect(s[0].criteria[1][2]).toBe(ruleSignature({ kind: 'deduct', lines: [{ type: 'shortfall', target: 1, rate: 0.5, per: 0.01, input: 'percent' }] } as never, 20));
    expect(s[2].criteria[0][2]).toBe(ruleSignature({ kind: 'tally', verb: 'add', cap: 5, lines: [{ type: 'count', rate: 3 }, { type: 'count', rate: 2 }] } as never, undefined));
    expect(s[3].criteria[0][2]).toBe(ruleSignature({ kind: 'tally', verb: 'deduct', lines: [{ type: 'count', rate: 5 }] } as never, undefined));
    // the engine scores it unchanged: 95% → 20, 98% done → 20 − 1, bonus 2 provincial → capped 5, one violation −5
    const sheet = compileSheet(p, p.variants[0], { name: '某单位' });
    const keys = sheet.inputs.map((i) => i.key);
    const res = score(p, { name: '某单位', variant: 'v1' }, Object.fromEntries(keys.map((k) => [k, ({ 's1.1#value': '95%', 's1.2#l1': '98%', 's3.1#l1': 2, 's4.1#l1': 1 } as Record<string, string | number>)[k] ?? (k === 's2.2#l2' ? '否' : 0)])));
    expect(res.problems.filter((x) => x.severity === 'error')).toEqual([]);
    expect([res.base, res.bonus, res.penalty, res.final]).toEqual([20 + 19 + 10 + 50, 5, 5, 99]);
  });

  it('（1）（2） clauses with their own points, a 考核对象 column and no 分值 column', () => {
    const r = importText(fixture('numbered-target.txt'), 'numbered-target.txt');
    const s = shape(r);
    expect(s.map((x) => x.criteria.map((c) => [c[0], c[1]]))).toEqual([
      [['（1）按时公开政府信息（3分）；', 3], ['（2）及时更新政策解读（2分）。', 2]],
      [['（1）设立帮办代办窗口（2分）；', 2], ['（2）开展延时服务，每月不少于2次，每少一次扣0.5分（2分）。', 2]],
    ]);
    expect(leaves(r.program!.variants[0].sections).map((c) => c.target)).toEqual(['各镇街', '各镇街', '各部门', '各部门']);
    expect(s[1].criteria[1][2]).toBe(ruleSignature({ kind: 'deduct', lines: [{ type: 'shortfall', target: 2, rate: 0.5, per: 1 }] } as never, 2));
    // “设立…” is read as yes/no, and says so
    const c = r.criteria.find((x) => x.id === 's2.1')!;
    expect([c.kind, c.confidence]).toEqual(['yesno', 'medium']);
    expect(c.confirm[0]).toContain('设立帮办代办窗口');
  });

  for (const f of FILES) {
    it(`reads ${f} the same from a generated .docx and .xlsx`, async () => {
      const text = importText(fixture(f), f);
      const { grids, around } = readTextTables(fixture(f));
      const g = grids[0];
      const before = around.filter((a) => a.line < g.lineOf![0]).map((a) => a.text).filter(Boolean);
      const after = around.filter((a) => a.line > g.lineOf![g.lineOf!.length - 1]).map((a) => a.text).filter(Boolean);
      const mergeCols = g.rows[0].map((h, i) => (headerRole(h) === 'level' ? i : -1)).filter((i) => i >= 0);
      for (const [ext, bytes] of [['docx', await docxFrom([{ before, rows: g.rows, mergeCols }], after)], ['xlsx', await xlsxFrom([{ before, rows: g.rows, mergeCols }], after)]] as const) {
        const r = await importFile(`${f}.${ext}`, bytes);
        expect(shape(r), ext).toEqual(shape(text));
        expect(r.program!.policies, ext).toEqual(text.program!.policies);
        expect(r.program!.variants[0].title, ext).toBe(text.program!.variants[0].title);
      }
    });
  }
});

describe('text files as Windows saves them', () => {
  it('reads GB18030 (“ANSI” on a Chinese Windows) with CRLF line ends like UTF-8', async () => {
    const bytes = new Uint8Array(readFileSync(new URL('../fixtures/import/numbered-target.gb18030.txt', import.meta.url)));
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(bytes)).toThrow();
    const r = await importFile('numbered-target.txt', bytes);
    expect(shape(r)).toEqual(shape(importText(fixture('numbered-target.txt'), 'numbered-target.txt')));
  });
});

describe('bad input: a coded problem in zh-CN and English, never an exception', () => {
  const only = (r: ImportResult, code: string): void => {
    expect(r.rubric).toBeNull();
    expect(r.problems.map((p) => p.code)).toEqual([code]);
    expect(r.problems[0].message.zh).toMatch(/[\u4e00-\u9fa5]/);
    expect(r.problems[0].message.en).toMatch(/[a-z]{3}/);
  };

  it('an empty file', async () => {
    only(importText('', 'a.txt'), 'import.empty');
    only(await importFile('a.txt', new Uint8Array()), 'import.empty');
    only(importText('\n\n   \n', 'a.txt'), 'import.empty');
  });

  it('a table with no header', () => {
    only(importText('\t甲\n\t乙\n\n\t丙\n\t丁\n', 'a.txt'), 'import.noHeader');
    only(importGrids([{ rows: [['1', '2'], ['3', '4']] }], 'paste'), 'import.noHeader');
  });

  it('text with no table at all', () => {
    only(importText('关于开展考核工作的通知\n各单位：请认真组织考核。\n', 'a.txt'), 'import.noTable');
  });

  it('a .docx with no table', async () => {
    only(await importFile('a.docx', await docxFrom([], ['考核办法', '本办法自印发之日起施行。'])), 'import.noTable');
  });

  it('bytes that are not a .docx or .xlsx, and an unknown file type', async () => {
    only(await importFile('a.docx', new TextEncoder().encode('not a zip')), 'import.unreadable');
    only(await importFile('a.xlsx', new Uint8Array([0x50, 0x4b, 3, 4, 0, 0])), 'import.unreadable');
    only(await importFile('a.pdf', new Uint8Array([1, 2, 3])), 'import.unknownFormat');
  });

  it('a 20 MB file', async () => {
    only(await importFile('big.txt', new Uint8Array(20 * 1024 * 1024)), 'import.tooLarge');
    only(importText('考'.repeat(11 * 1024 * 1024), 'big.txt'), 'import.tooLarge');
  });

  it('merged cells in odd places: rows of every width, merges over the header, a lone banner', () => {
    const grids = [
      { rows: [['考核项目', '评分标准', '分值'], ['一、甲（10分）'], ['', '每次扣1分', '10', '多余', '多余'], ['', ''], ['乙', '', '', ''], ['', '记5分']] },
      { rows: [['考核项目', '考核项目', '评分标准'], ['', '', ''], ['丙', '', '未做到的扣2分']], banner: [false, true, false] },
    ];
    const r = importGrids(grids.map((g) => ({ ...g, rows: g.rows.map((x) => [...x]) })), 'odd');
    expect(Array.isArray(r.problems)).toBe(true);
    for (const p of r.problems) expect(p.message.zh && p.message.en).toBeTruthy();
    // whatever was read is a loadable rubric or a list of problems — and the words are kept verbatim
    if (r.program) expect(JSON.stringify(r.program)).toContain('每次扣1分');
  });

  it('a document whose scoring words the grammar does not know: direct scores flagged 需确认', () => {
    const r = importText('\t考核项目\n\t评分标准\n\t分值\n\n\t甲\n\t未完成的每项扣分，扣完为止\n\t3\n', 'a.txt');
    expect(r.criteria.map((c) => [c.kind, c.confidence])).toEqual([['direct', 'low']]);
    expect(r.program!.variants[0].sections[0].children![0].note).toMatch(/^需确认/);
  });
});

describe('the clerk corrects a rule in words', () => {
  it('re-reads the rule, re-checks the rubric and clears 需确认 when the words are certain', async () => {
    const { reviseCriterion, describeRule } = await import('../../src/import');
    const r = importText(fixture('numbered-target.txt'), 'numbered-target.txt');
    expect(r.criteria.find((c) => c.id === 's2.1')!.confidence).toBe('medium');
    const next = reviseCriterion(r, 'v1', 's2.1', '直接打分0-2分，步长0.5');
    const c = next.criteria.find((x) => x.id === 's2.1')!;
    expect([c.kind, c.confidence, c.params]).toEqual(['direct', 'high', '直接打分0-2分，步长0.5']);
    const node = next.program!.variants[0].sections[1].children![0];
    expect(node.note).toBeUndefined();
    expect(node.text).toBe('（1）设立帮办代办窗口（2分）；');
    expect(next.problems.some((p) => p.code === 'import.needsConfirm' && p.path === 's2.1')).toBe(false);
    // the old result is untouched
    expect(r.criteria.find((x) => x.id === 's2.1')!.kind).toBe('yesno');
    // words it does not understand: a direct score, flagged
    const odd = reviseCriterion(next, 'v1', 's2.2', '表现好的多给分');
    expect(odd.criteria.find((x) => x.id === 's2.2')!.kind).toBe('direct');
    // a deduction typed in the review table's own wording
    const typed = reviseCriterion(next, 'v1', 's2.2', '延时服务次数：少于2时每少1扣1分；扣完为止');
    expect(ruleSignature(typed.program!.variants[0].sections[1].children![1].rule!, 2)).toBe(ruleSignature({ kind: 'deduct', lines: [{ type: 'shortfall', target: 2, rate: 1, per: 1, input: 'number' }] } as never, 2));
    void describeRule;
  });

  it('reads back every rule of the own tables from its own words (describeRule → readRule)', async () => {
    const { describeRule, readRule } = await import('../../src/import');
    for (const f of FILES) {
      const r = importText(fixture(f), f);
      const walk = (nodes: RubricNode[], role: 'base' | 'bonus' | 'penalty'): void => {
        for (const n of nodes) {
          const rr = n.role ?? role;
          if (n.children?.length) walk(n.children, rr);
          else expect(ruleSignature(readRule(describeRule(n.rule!, n.points ?? undefined), { points: n.points ?? undefined, role: rr, subtract: n.effect === 'subtract' }).rule, n.points), `${f} ${n.id}`).toBe(ruleSignature(n.rule!, n.points));
        }
      };
      walk(r.program!.variants[0].sections, 'base');
    }
  });
});

describe('rows the text holds beside its criterion, and cohort clauses', () => {
  const text = [
    '考核评分细则',
    '考核项目 | 评分标准 | 分值',
    '认领率和收件率 | 未按规定认领的每个事项扣0.2分。 | 5',
    '认领率和收件率 | 积极引导群众通过 2.0 办事,事项收件率排名前三位,依次加0.5分、1分、1.5分。收件率低于85%的此项不得分。 | 5',
    '窗口 | 没有进驻大厅的部门按进驻单位最低得分计分,其余直接打分。 | 3',
    '',
  ].join('\n');

  it('gives 排名前三位,依次加… a row of its own right after its paragraph, voided by the paragraph\'s 此项不得分', () => {
    const r = importText(text, 'split.txt');
    expect(r.program).not.toBeNull();
    const s1 = r.program!.variants[0].sections[0].children!;
    expect(s1.map((n) => [n.id, n.points ?? null, n.rule?.kind])).toEqual([['s1.1', 5, 'deduct'], ['s1.2', 5, 'deduct'], ['s1.3', null, 'rank']]);
    expect(s1[2].text).toBe('事项收件率排名前三位,依次加0.5分、1分、1.5分。');
    expect((s1[1].rule as { lines: { type: string; voids?: string[] }[] }).lines).toMatchObject([{ type: 'zero', voids: ['s1.3'] }]);
    expect(s1[2].note).toMatch(/^需确认：.*第1名1\.5分/);
    expect(r.criteria.find((c) => c.id === 's1.2')!.params).toContain('s1.3同样不得分');
  });

  it('puts 按…最低得分计分 on the criterion as a cohort clause by a per-unit question, flagged 需确认', () => {
    const r = importText(text, 'split.txt');
    const n = r.program!.variants[0].sections[1].children![0];
    expect(n.cohort).toEqual({ stat: 'min', for: { flag: '没有进驻大厅的部门' }, quote: '没有进驻大厅的部门按进驻单位最低得分计分' });
    expect(n.note).toMatch(/^需确认：群体计分/);
    expect(r.problems.filter((p) => p.severity === 'error')).toEqual([]);
  });
});
