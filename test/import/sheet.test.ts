// The 评分细则 sheet as pure code (src/import/sheet.ts): rubric → rows → rubric for every bundled rubric,
// clerk edits that change a rule, bad edits with the exact messages `dafen validate` gives, on their row
// and column, and nothing the clerk typed lost.
import { readFileSync } from 'node:fs';
import { parse, stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { KIND_TITLES, loadProgram, type RubricNode } from '../../src/engine';
import { importGrids, KIND_CHOICES, rowsFromGrid, rowsFromImport, rowsFromRubric, rubricFromRows, sheetGrid, type SheetRow } from '../../src/import';
import { ruleSignature } from '../../src/import/compare';
import { listRubricFiles } from '../../src/cli/rubrics';
import { PASTED } from './sheet-grid';

const imported = () => importGrids([{ rows: PASTED, around: ['2024年度便民服务考核细则'] }], 'bianmin.xlsx');
const start = () => {
  const r = imported();
  const s = rowsFromImport(r)!;
  return { base: r.rubric!, rows: s.rows.map((x) => ({ ...x })) };
};
const row = (rows: SheetRow[], id: string): SheetRow => rows.find((r) => r.id === id)!;
const leaf = (program: { variants: { sections: RubricNode[] }[] }, id: string): RubricNode => {
  const find = (ns: RubricNode[]): RubricNode | undefined => ns.map((n) => (n.id === id ? n : find(n.children ?? []))).find(Boolean);
  return find(program.variants[0].sections)!;
};

describe('评分细则 sheet rows', () => {
  it('lists the kinds by the names the registry gives them', () => {
    expect(KIND_CHOICES).toEqual(['直接打分', '是否', '选项', '倒扣分', '累加', '按比例', '分档', '排名', '取最高']);
    expect(KIND_CHOICES).toEqual(KIND_TITLES.map((k) => k.zh));
  });

  it('writes one row per node of an import, every criterion with its kind and parameters in words', () => {
    const { rows } = start();
    expect(rows.map((r) => [r.id, r.points, r.kind])).toEqual([
      ['s1', '40', ''], ['s1.1', '20', '分档'], ['s1.2', '20', '倒扣分'], ['s2', '60', ''], ['s2.1', '10', '倒扣分'], ['s2.2', '50', '倒扣分'],
      ['s3', '', ''], ['s3.1', '', '累加'], ['s4', '', ''], ['s4.1', '', '累加'],
    ]);
    expect(row(rows, 's1.1').params).toBe('90%以上20分；80%以上12分；70%以上6分');
    expect(row(rows, 's1.1').text).toBe(PASTED[1][2]);
    expect(row(rows, 's1.1').basis).toContain('“网上办理率达到90%以上的得20分”');
    expect(rows.every((r) => r.check === '✓')).toBe(true);
  });

  it('reads a grid of the sheet back to the same rows (columns found by their header)', () => {
    const { rows } = start();
    const grid = sheetGrid(rows);
    expect(grid[0]).toEqual(['类别', '编号', '考核项目/内容', '分值', '评分标准', '计分方式', '参数', '识别依据', '需确认', '检查结果']);
    expect(rowsFromGrid(grid)!.rows).toEqual(rows);
    // columns moved, a title row above, numbers as numbers
    const moved = grid.map((r) => [r[6], ...r.slice(0, 6), ...r.slice(7)]);
    const back = rowsFromGrid([['2024年度便民服务考核细则'], ...moved.map((r, i) => (i > 0 && r[4] === '20' ? r.map((c, k) => (k === 4 ? 20 : c)) : r))])!;
    expect(back.rows).toEqual(rows);
    expect(back.sheetRows[0]).toBe(2);
    expect(rowsFromGrid([['考核项目', '评分标准']])).toBeNull();
  });

  it('round-trips every bundled rubric: rows → the same rubric, and the words alone give the same kind everywhere', () => {
    let criteria = 0;
    let sameKind = 0;
    let sameRule = 0;
    for (const f of listRubricFiles()) {
      const text = readFileSync(f, 'utf8');
      const base = parse(text) as Record<string, unknown>;
      const rows = rowsFromRubric(base);
      const back = rubricFromRows(base, rows);
      expect(back.rubric, f).toEqual(base);
      expect(back.problems.filter((p) => p.severity === 'error'), f).toEqual([]);
      expect(back.program, f).not.toBeNull();
      // every row read from its 参数 by the grammar
      const hand = loadProgram(text, f).program!;
      const reread = rubricFromRows(base, rows, { reread: true });
      expect(reread.problems.filter((p) => p.severity === 'error'), f).toEqual([]);
      const walk = (a: RubricNode[], b: RubricNode[]): void =>
        a.forEach((n, i) => {
          if (n.children?.length) return walk(n.children, b[i].children!);
          criteria++;
          if (n.rule!.kind === b[i].rule!.kind) sameKind++;
          if (ruleSignature(n.rule!, n.points) === ruleSignature(b[i].rule!, b[i].points)) sameRule++;
        });
      hand.variants.forEach((v, i) => walk(v.sections, reread.program!.variants[i].sections));
    }
    expect(criteria).toBe(213);
    expect(sameKind).toBe(213);
    // the 7 others differ in what the words do not carry: 只扣其一 groups, an excess line, voids, a rank's figure
    expect(sameRule).toBe(206);
  });

  it('keeps a 本表设定 as an editable 参数 and rewrites the setting when the clerk changes it', () => {
    const f = listRubricFiles().find((x) => x.endsWith('taiqian-2018.yaml'))!;
    const base = parse(readFileSync(f, 'utf8')) as Record<string, unknown>;
    const rows = rowsFromRubric(base);
    const r = rows.find((x) => x.kind === '排名')!;
    expect(r.params).toBe('第1名20分，每低一名减1分，最低0分');
    expect(r.basis).toContain('本表设定，文件未规定：办件量排名记分');
    r.params = '第1名15分，每低一名减0.5分，最低0分';
    const back = rubricFromRows(base, rows);
    expect(back.program).not.toBeNull();
    const node = leaf(back.program!, r.id);
    expect(node.rule).toMatchObject({ kind: 'rank', step: { first: 15, per: 0.5, min: 0 } });
    expect((node.rule as { step: { setting?: { label: string } } }).step.setting?.label).toBe('办件量排名记分');
  });
});

describe('edits that change a rule', () => {
  it('a changed 参数 is read by the grammar; the row says ✓', () => {
    const { base, rows } = start();
    row(rows, 's2.1').params = '缺一人：每次扣1分；扣完为止';
    const r = rubricFromRows(base, rows);
    expect(r.program).not.toBeNull();
    expect(leaf(r.program!, 's2.1').rule).toMatchObject({ kind: 'deduct', lines: [{ type: 'count', rate: 1, label: '缺一人' }] });
    expect(row(r.rows, 's2.1').check).toBe('✓');
    expect(row(r.rows, 's2.1').params).toBe('缺一人：每次扣1分；扣完为止');
  });

  it('参数 written as tiers change the kind to 分档 (the 计分方式 follows the words)', () => {
    const { base, rows } = start();
    row(rows, 's1.2').params = '90%以上20分；60%以上10分';
    const r = rubricFromRows(base, rows);
    expect(leaf(r.program!, 's1.2').rule).toMatchObject({ kind: 'tiers', input: { type: 'percent' }, tiers: [{ min: 0.6, points: 10 }, { min: 0.9, points: 20 }] });
    expect(row(r.rows, 's1.2').kind).toBe('分档');
    // read again from the updated rows: the same rule (stable)
    expect(leaf(rubricFromRows(base, r.rows).program!, 's1.2').rule).toEqual(leaf(r.program!, 's1.2').rule);
  });

  it('计分方式 picked from the dropdown: 直接打分 and 是否 need no parameters', () => {
    const { base, rows } = start();
    row(rows, 's1.1').kind = '直接打分';
    row(rows, 's2.1').kind = '是否';
    const r = rubricFromRows(base, rows);
    expect(leaf(r.program!, 's1.1').rule).toEqual({ kind: 'direct', min: 0 });
    expect(leaf(r.program!, 's2.1').rule).toMatchObject({ kind: 'yesno', question: '是否窗口人员' });
  });

  it('a changed 分值 and 评分标准 are kept verbatim', () => {
    const { base, rows } = start();
    row(rows, 's2.1').points = '１５';
    row(rows, 's2.2').points = '45';
    row(rows, 's2.2').text = '有效投诉每件扣5分。';
    const r = rubricFromRows(base, rows);
    expect(leaf(r.program!, 's2.1').points).toBe(15);
    expect(leaf(r.program!, 's2.2').text).toBe('有效投诉每件扣5分。');
    expect(r.problems.filter((p) => p.severity === 'error')).toEqual([]);
  });
});

describe('bad edits, with the exact messages', () => {
  it('an unknown 计分方式', () => {
    const { base, rows } = start();
    row(rows, 's2.2').kind = '打分';
    const r = rubricFromRows(base, rows);
    expect(r.program).toBeNull();
    const p = r.problems.find((x) => x.code === 'sheet.unknownKind')!;
    expect([p.row, p.column, p.severity]).toEqual([5, 'kind', 'error']);
    expect(p.message).toEqual({
      zh: 's2.2：未知的计分方式“打分”，可选：直接打分、是否、选项、倒扣分、累加、按比例、分档、排名、取最高',
      en: 's2.2: unknown rule kind "打分"; choose one of 直接打分、是否、选项、倒扣分、累加、按比例、分档、排名、取最高',
    });
    expect(row(r.rows, 's2.2').kind).toBe('打分');
    expect(row(r.rows, 's2.2').check).toBe(`✗ 计分方式：${p.message.zh} / ${p.message.en}`);
  });

  it('参数 that cannot be read keep the clerk\'s text and say why', () => {
    const { base, rows } = start();
    row(rows, 's2.1').params = '看情况定';
    const r = rubricFromRows(base, rows);
    expect(r.program).toBeNull();
    const p = r.problems.find((x) => x.code === 'sheet.unreadableParams')!;
    expect([p.row, p.column]).toEqual([4, 'params']);
    expect(p.message.zh).toBe('s2.1：参数“看情况定”无法识别（没有可识别的计分文字）；请按“每次扣0.5分；扣完为止”“90%以上4分；70%以上1分”这样的写法填写');
    expect(p.message.en).toBe('s2.1: the parameters "看情况定" cannot be read (没有可识别的计分文字); write them like 每次扣0.5分；扣完为止 or 90%以上4分；70%以上1分');
    expect(row(r.rows, 's2.1').params).toBe('看情况定');
    // the other rows are untouched and still fine
    expect(r.rows.filter((x) => x.id !== 's2.1').every((x) => x.check === '✓')).toBe(true);
  });

  it('计分方式 and 参数 that disagree', () => {
    const { base, rows } = start();
    Object.assign(row(rows, 's2.1'), { kind: '分档', params: '每次扣1分' });
    const p = rubricFromRows(base, rows).problems.find((x) => x.code === 'sheet.kindMismatch')!;
    expect(p.message.zh).toBe('s2.1：计分方式选的是“分档”，参数读出来是“倒扣分”：请改计分方式或参数，使两者一致');
    expect(p.column).toBe('kind');
  });

  it('a kind that needs parameters picked without them', () => {
    const { base, rows } = start();
    row(rows, 's1.1').kind = '排名';
    const p = rubricFromRows(base, rows).problems.find((x) => x.code === 'sheet.paramsForKind')!;
    expect(p.message.zh).toBe('s1.1：计分方式改为“排名”，请在参数中写明排名的参数');
  });

  it('points that do not add up: the message `dafen validate` gives, on the section\'s 分值', () => {
    const { base, rows } = start();
    row(rows, 's1.1').points = '25';
    const r = rubricFromRows(base, rows);
    const p = r.problems.find((x) => x.code === 'rubric.pointsMismatch')!;
    expect([r.rows[p.row].id, p.column, p.severity]).toEqual(['s1', 'points', 'warning']);
    expect(p.message.zh).toBe('“一、网上服务（40分）”标明40分，但下级分值合计45分；小计按40分封顶');
    // the same message as validating the same rubric as a file
    const edited = JSON.parse(JSON.stringify(base));
    edited.variants[0].sections[0].children[0].points = 25;
    const validate = loadProgram(stringify(edited)).problems.find((x) => x.code === 'rubric.pointsMismatch')!;
    expect(p.message).toEqual(validate.message);
    expect(r.rows[p.row].check).toContain(`⚠ 分值：${validate.message.zh} / ${validate.message.en}`);
  });

  it('a 分值 that is not a number, an unknown and a repeated 编号, a deleted row', () => {
    const { base, rows } = start();
    row(rows, 's2.1').points = '十分';
    const extra = { ...row(rows, 's2.2'), id: 's9.9' };
    const twice = { ...row(rows, 's1.1') };
    const kept = rows.filter((x) => x.id !== 's4.1');
    const r = rubricFromRows(base, [...kept, extra, twice]);
    const msg = (code: string) => r.problems.find((x) => x.code === code)!.message.zh;
    expect(msg('sheet.badPoints')).toBe('s2.1：分值“十分”不是数字');
    expect(msg('sheet.unknownId')).toBe('编号“s9.9”（类别v1）不在导入的评分细则中：新增条目请在原文表格中加上后重新导入');
    expect(msg('sheet.duplicateId')).toBe('编号“s1.1”重复（第2行已有）');
    expect(msg('sheet.rowMissing')).toBe('编号“s4.1”的行已删除：该条目按导入时保留');
    expect(r.program).toBeNull();
    expect(r.rows.at(-2)!.params).toBe(extra.params);
  });
});
