/**
 * Header words of 评分细则 tables and the role each column plays in a rubric. A header row is a row
 * in which at least two cells are such words (考核项目, 考核内容, 评分标准, 分值…).
 */
export type ColumnRole =
  | 'level' // a name column: 考核项目, 指标名称, 考评内容… (its cells are merged over the rows they head)
  | 'content' // 考核内容 beside a separate 评分标准 column, one per row
  | 'text' // 评分标准, 扣分办法, 目标要求及评分标准…
  | 'points' // 分值
  | 'method' // 考核方式
  | 'target' // 考核对象
  | 'units' // 考核部门 (the assessed units listed in the table)
  | 'index' // 序号
  | 'score' // 得分, 记分, 自评分, 考核分: where scores are written, not part of the rubric
  | 'note'; // 备注, 说明

interface Word {
  re: RegExp;
  role: ColumnRole;
}
const WORDS: Word[] = [
  { re: /^序号$|^编号$/, role: 'index' },
  { re: /分值|^标准分$|^满分$|^权重$/, role: 'points' },
  { re: /自评|得分|记分|考核分|评分$|^实得分|^扣分$|^加分$/, role: 'score' },
  { re: /评分标准|评分细则|评分办法|扣分办法|计分办法|记分办法|指标量化|考核标准|评分依据|目标要求|目标任务/, role: 'text' },
  { re: /考核方式|考核方法|评分方式|考评方式/, role: 'method' },
  { re: /考核对象|责任单位|牵头单位/, role: 'target' },
  { re: /考核部门|被考核单位|考核单位/, role: 'units' },
  { re: /备注|说明/, role: 'note' },
  { re: /考核项目|指标名称|考评内容|考核指标|考核要素|项目|一级指标|二级指标|三级指标|指标|类别|考核内容|工作任务|考核事项/, role: 'level' },
];

export function headerRole(cell: string): ColumnRole | null {
  const t = cell.replace(/\s+/g, '').replace(/[（(][^）)]*[）)]/g, '');
  if (!t || t.length > 12 || /\d/.test(t)) return null;
  for (const w of WORDS) if (w.re.test(t)) return w.role;
  return null;
}

/** At least two cells are header words, and one of them names a scoring column or a name column. */
export function isHeaderRow(cells: readonly string[]): boolean {
  const roles = cells.map(headerRole);
  const known = roles.filter((r) => r !== null);
  if (known.length < 2) return false;
  if (known.length < cells.filter((c) => c.trim()).length / 2) return false;
  return roles.includes('text') || roles.includes('points') || roles.includes('level');
}
