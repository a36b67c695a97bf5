/** The few cell styles of an 打分表, by id. 宋体 for text as in official documents, 黑体 for titles. */
import type { CellStyle } from './plan';

export const BODY_FONT = '宋体';
export const TITLE_FONT = '黑体';
export const BODY_PT = 10.5;
export const SMALL_PT = 9;
export const TITLE_PT = 16;

export const INPUT_FILL = 'FFF2CC';
const SUBTOTAL_FILL = 'F2F2F2';
const TOTAL_FILL = 'DDEBF7';
const HEADER_FILL = 'D9D9D9';

const body = (over: Partial<CellStyle> & { h?: CellStyle['align']['h']; v?: CellStyle['align']['v']; bold?: boolean; size?: number } = {}): CellStyle => {
  const { h = 'left', v = 'middle', bold, size = BODY_PT, ...rest } = over;
  return {
    font: { name: BODY_FONT, size, ...(bold ? { bold } : {}) },
    align: { h, v, wrap: true },
    border: true,
    locked: true,
    ...rest,
  };
};

/** Score number format for `precision` decimals; deductions show with a minus sign. */
export function scoreFormat(precision: number, deduction = false): string {
  const f = precision > 0 ? `0.${'0'.repeat(precision)}` : '0';
  return deduction ? `\\-${f};\\-${f};${f}` : f;
}

export function makeStyles(precision: number): Record<string, CellStyle> {
  const score = scoreFormat(precision);
  return {
    title: { font: { name: TITLE_FONT, size: TITLE_PT, bold: true }, align: { h: 'center', v: 'middle', wrap: true }, border: false, locked: true },
    subtitle: { font: { name: BODY_FONT, size: BODY_PT }, align: { h: 'left', v: 'middle', wrap: true }, border: false, locked: true },
    header: body({ h: 'center', bold: true, fill: HEADER_FILL }),
    text: body(),
    textCenter: body({ h: 'center' }),
    level: body({ h: 'center', bold: true }),
    heading: body({ h: 'left', bold: true, fill: SUBTOTAL_FILL }),
    points: body({ h: 'center', numFmt: 'General"分"' }),
    index: body({ h: 'center' }),
    label: body({ size: SMALL_PT }),
    input: body({ h: 'center', fill: INPUT_FILL, locked: false }),
    // A percent input holds the fraction (0.85) and shows it as 85.00%; typing 85 into it gives 85% in Excel and WPS.
    inputPct: body({ h: 'center', fill: INPUT_FILL, locked: false, numFmt: '0.00%' }),
    score: body({ h: 'center', numFmt: score }),
    scoreDeduct: body({ h: 'center', numFmt: scoreFormat(precision, true) }),
    note: body({ size: SMALL_PT, locked: false }), // ADDIN_WRITTEN below
    /** A 备注 the sheet computes by formula (notes.ts): locked like every computed cell; the add-in leaves it alone. */
    liveNote: body({ size: SMALL_PT }),
    /** 扣分依据/说明: typed by the clerk, so unlocked and shaded like the inputs. */
    remark: body({ size: SMALL_PT, v: 'top', fill: INPUT_FILL, locked: false }),
    /** The signature lines under a unit's table (考核人： 审核人：…): no border. */
    signature: { font: { name: BODY_FONT, size: BODY_PT }, align: { h: 'left', v: 'bottom', wrap: true }, border: false, locked: true },
    na: body({ h: 'center', size: SMALL_PT }),
    subLabel: body({ h: 'center', bold: true, fill: SUBTOTAL_FILL }),
    subScore: body({ h: 'center', bold: true, fill: SUBTOTAL_FILL, numFmt: score }),
    subScoreDeduct: body({ h: 'center', bold: true, fill: SUBTOTAL_FILL, numFmt: scoreFormat(precision, true) }),
    subNote: body({ size: SMALL_PT, fill: SUBTOTAL_FILL }),
    totalLabel: body({ h: 'center', bold: true, fill: TOTAL_FILL }),
    totalScore: body({ h: 'center', bold: true, fill: TOTAL_FILL, numFmt: score }),
    totalScoreDeduct: body({ h: 'center', bold: true, fill: TOTAL_FILL, numFmt: scoreFormat(precision, true) }),
    totalNote: body({ size: SMALL_PT, fill: TOTAL_FILL, locked: false }), // ADDIN_WRITTEN below
    /** The status cell (完成 / 未完成 n 项 / 有 n 处错误): a formula, so locked like every computed cell. */
    statusNote: body({ size: SMALL_PT, fill: TOTAL_FILL }),
    veto: body({ h: 'center', bold: true, font: { name: BODY_FONT, size: BODY_PT, bold: true, color: 'C00000' } }),
    marker: { font: { name: BODY_FONT, size: 8, color: '808080' }, align: { h: 'left', v: 'top', wrap: false }, border: false, locked: true },
    sumText: body({ h: 'center' }),
    sumScore: body({ h: 'center', numFmt: score }),
    sumRank: body({ h: 'center', numFmt: '0' }),
    sumFigure: body({ h: 'center' }),
    sumVeto: body({ h: 'center', font: { name: BODY_FONT, size: BODY_PT, bold: true, color: 'C00000' } }),
    meta: { font: { name: 'Calibri', size: 8 }, align: { h: 'left', v: 'top', wrap: false }, border: false, locked: true },
  };
}

/**
 * Styles of the cells the add-in writes while the sheet stays protected: criterion 备注 and the status
 * cell (the 总分 row's 备注). They are unlocked, so live scoring and 重新计算 never lift protection
 * (lifting it clears the clerk's undo stack and fails on a sheet protected with a password).
 */
export const ADDIN_WRITTEN = new Set(['note', 'totalNote']);
