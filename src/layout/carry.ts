/**
 * Carrying a clerk's entries to a corrected rubric, the pure half shared by the add-in (更新评分标准,
 * src/taskpane/migrate.ts) and the CLI (`dafen update`, `dafen score -o`): every non-blank input is either
 * carried onto the new version's sheet (by what it means: engine's carryInputs) or kept in a visible
 * 未匹配录入 sheet with the reason, never dropped. Also the one check every outlet makes before replacing
 * a sheet: does it hold entries?
 */
import {
  carryInputs,
  firstScoringHand,
  handLabel,
  handPath,
  isDefaultHands,
  isHandId,
  type HandId,
  compileSheet,
  findVariant,
  resolveUnit,
  walkVariant,
  type CohortEntry,
  type InputSpec,
  type Program,
  type Raw,
  type SheetModel,
} from '../engine';
import { HAND_REMARKS_SHEET, type HandRemarks, type UnreadHandRemark } from './hand-remarks';
import type { CellPlan, SheetPlan } from './plan';

/** `notRead`: a value typed into a row the sheet did not make (an inserted row), kept under its cell (`单位表!G12`). */
/** `remarkAside`: a 扣分依据/说明 that fits no unit, hand or criterion (a row of 各评分人扣分依据 naming none, or its place holds other words). */
export type UnmatchedReason = 'criterionRemoved' | 'inputRemoved' | 'inputChanged' | 'notApplicable' | 'unitRemoved' | 'notRead' | 'settingRemoved' | 'remarkAside';

export interface UnmatchedInput {
  unit: string;
  variant: string;
  key: string;
  /** What the input was called in the old version (its label), or the key when unknown. */
  label: string;
  value: Raw;
  reason: UnmatchedReason;
}

export interface OldEntry {
  unit: string;
  variant: string;
  tags?: string[];
  inputs: Record<string, Raw>;
  /** 扣分依据/说明 by criterion id: carried to the same criterion id, or kept aside like an input. */
  remarks?: Record<string, string>;
  /**
   * Values an earlier update kept in 未匹配录入 (withUnmatched puts them here): what they meant is not the
   * old version's input of that key, so they are carried only to a key the old version did not have.
   */
  kept?: KeptRow[];
  /** Every hand's entries (multi-hand workbooks), each carried by criterion id like `inputs` (the first scoring hand's). */
  hands?: Partial<Record<HandId, Record<string, Raw>>>;
  /** Every other hand's 扣分依据/说明 by criterion id (各评分人扣分依据), carried like `remarks` (the first scoring hand's). */
  handRemarks?: HandRemarks;
}

export interface KeptRow {
  unit: string;
  variant: string;
  key: string;
  value: Raw;
  /** Its 原评分项 text, when read back from the sheet. */
  label?: string;
}

/** The key under which a 扣分依据/说明 is kept in 未匹配录入 (`<criterion id>#扣分依据`). */
export const REMARK_SUFFIX = '#扣分依据';

export interface CarryOver {
  entries: (CohortEntry & { variant: string; inputs: Record<string, Raw>; remarks: Record<string, string>; hands?: Partial<Record<HandId, Record<string, Raw>>>; handRemarks?: HandRemarks })[];
  unmatched: UnmatchedInput[];
  /** How many non-blank inputs were carried over. */
  carried: number;
  /** Inputs carried to another key because their line moved (old key → new key), per unit. */
  moved: { unit: string; from: string; to: string }[];
}

const isBlank = (v: Raw): boolean => v === null || v === undefined || (typeof v === 'string' && v.trim() === '');
const criterionOf = (key: string): string => key.split('#')[0];

/** How many non-blank entries these inputs hold (what a replacement would lose). */
export function countEntries(inputs: Readonly<Record<string, Raw>>): number {
  return Object.values(inputs).filter((v) => !isBlank(v)).length;
}

/**
 * Whether a workbook's units hold entries a clerk typed: the check every outlet (CLI, browser page,
 * add-in) makes before replacing a 打分表. Returns the number of non-blank entries (0: safe to replace).
 * Values typed into inserted rows (`stray`, as src/xlsx reads them), every hand's 扣分依据/说明 and rows kept
 * in a 未匹配录入 sheet count too.
 */
export function entriesHeld(
  units: readonly {
    inputs: Readonly<Record<string, Raw>>; stray?: readonly unknown[]; hands?: Partial<Record<HandId, Readonly<Record<string, Raw>>>>;
    remarks?: Readonly<Record<string, string>>; handRemarks?: HandRemarks;
  }[],
  unmatchedRows: readonly (readonly unknown[])[] = [],
): number {
  // A multi-hand sheet: every hand's column counts (`hands` includes the first scoring hand's, which `inputs` repeats; so for `handRemarks` and `remarks`).
  const all = (m: Partial<Record<HandId, Readonly<Record<string, Raw>>>>) => Object.values(m).reduce((n, x) => n + (x ? countEntries(x) : 0), 0);
  const held = (u: (typeof units)[number]) => (u.hands ? all(u.hands) : countEntries(u.inputs)) + (u.handRemarks ? all(u.handRemarks) : countEntries(u.remarks ?? {}));
  return units.reduce((n, u) => n + held(u) + (u.stray?.length ?? 0), 0) + readUnmatchedRows(unmatchedRows).length;
}

function unitOf(program: Program, unit: string, variant: string, tags?: string[]): { name: string; variant: string; tags: string[] } | null {
  const listed = program.units?.find((u) => u.name === unit);
  if (listed) return findVariant(program, listed.variant) ? resolveUnit(program, unit, listed.variant, tags) : null;
  return findVariant(program, variant) ? resolveUnit(program, unit, variant, tags) : null;
}

function inVariant(program: Program, variantId: string, criterionId: string): boolean {
  const vi = program.variants.findIndex((v) => v.id === variantId);
  let found = false;
  if (vi >= 0) walkVariant(program.variants[vi], vi, ({ node }) => (found ||= node.id === criterionId));
  return found;
}

/**
 * Carries every non-blank input over to the new version by what it means (engine's carryInputs, given
 * the old version's inputs when `oldProgram` is known); the rest is returned in `unmatched` with its old
 * label and the reason.
 */
export function carryOver(oldProgram: Program | null, newProgram: Program, old: readonly OldEntry[], hands?: readonly HandId[]): CarryOver {
  const first = hands ? firstScoringHand(hands) : 'assessor';
  const entries: CarryOver['entries'] = [];
  const unmatched: UnmatchedInput[] = [];
  const moved: CarryOver['moved'] = [];
  let carried = 0;
  for (const e of old) {
    const ou = oldProgram ? unitOf(oldProgram, e.unit, e.variant, e.tags) : null;
    const ov = ou && oldProgram ? findVariant(oldProgram, ou.variant) : undefined;
    const oldSheet: SheetModel | null = ou && ov && oldProgram ? compileSheet(oldProgram, ov, ou) : null;
    const oldInputs: InputSpec[] = oldSheet ? [...oldSheet.inputs, ...oldSheet.vetoInputs] : [];
    const oldSpecs = new Map<string, InputSpec>(oldInputs.map((x) => [x.key, x]));
    const labelOf = (key: string): string => {
      const spec = oldSpecs.get(key);
      if (!spec) return key;
      const node = oldSheet?.nodes.get(spec.criterionId)?.node;
      const title = node ? node.title || node.text?.slice(0, 30) || '' : '';
      return title && title !== spec.label ? `${title}：${spec.label}` : spec.label;
    };
    const nu = unitOf(newProgram, e.unit, e.variant, e.tags);
    const filled = Object.fromEntries(Object.entries(e.inputs).filter(([, v]) => !isBlank(v)));
    const kept = (e.kept ?? []).filter((k) => !isBlank(k.value));
    const said = Object.entries(e.remarks ?? {}).filter(([, v]) => !isBlank(v));
    const remarkLabel = (cid: string, h: HandId = first): string => {
      const node = oldSheet?.nodes.get(cid)?.node;
      return `${h === first ? '' : `${handLabel(h)}：`}${node ? node.title || node.text?.slice(0, 30) || cid : cid}：扣分依据/说明`;
    };
    const remarkKey = (cid: string, h: HandId = first): string => handPath(h, `${cid}${REMARK_SUFFIX}`, first);
    // Other hands' words (各评分人扣分依据): the first scoring hand's join its own (where it has none for the
    // criterion); a hand the workbook does not have keeps them aside.
    const others: [HandId, [string, string][]][] = [];
    for (const [h, m] of Object.entries(e.handRemarks ?? {}) as [HandId, Record<string, string> | undefined][]) {
      const list = Object.entries(m ?? {}).filter(([, v]) => !isBlank(v));
      if (!list.length) continue;
      if (h === first) {
        for (const [cid, v] of list) {
          if (!said.some(([c]) => c === cid)) said.push([cid, v]);
          else if (said.find(([c]) => c === cid)![1] !== v) unmatched.push({ unit: e.unit, variant: e.variant, key: remarkKey(cid), label: remarkLabel(cid), value: v, reason: 'remarkAside' });
        }
      } else if (hands && hands.includes(h) && !isDefaultHands(hands)) others.push([h, list]);
      else for (const [cid, v] of list) unmatched.push({ unit: e.unit, variant: e.variant, key: remarkKey(cid, h), label: remarkLabel(cid, h), value: v, reason: 'remarkAside' });
    }
    if (!nu) {
      for (const [key, value] of Object.entries(filled)) unmatched.push({ unit: e.unit, variant: e.variant, key, label: labelOf(key), value, reason: 'unitRemoved' });
      for (const [h, ins] of Object.entries(e.hands ?? {}) as [HandId, Record<string, Raw>][]) {
        if (h === first || !ins) continue;
        for (const [key, value] of Object.entries(ins)) if (!isBlank(value)) unmatched.push({ unit: e.unit, variant: e.variant, key: handPath(h, key, first), label: `${handLabel(h)}：${labelOf(key)}`, value, reason: 'unitRemoved' });
      }
      for (const [cid, value] of said) unmatched.push({ unit: e.unit, variant: e.variant, key: remarkKey(cid), label: remarkLabel(cid), value, reason: 'unitRemoved' });
      for (const [h, list] of others) for (const [cid, value] of list) unmatched.push({ unit: e.unit, variant: e.variant, key: remarkKey(cid, h), label: remarkLabel(cid, h), value, reason: 'unitRemoved' });
      for (const k of kept) unmatched.push({ unit: e.unit, variant: e.variant, key: k.key, label: k.label ?? k.key, value: k.value, reason: k.key.includes('#') ? 'unitRemoved' : 'notRead' });
      continue;
    }
    const r = carryInputs(newProgram, nu.variant, nu, filled, oldSheet ? oldInputs : undefined);
    carried += Object.keys(r.carried).length;
    for (const m of r.moved) moved.push({ unit: e.unit, ...m });
    const sheet = compileSheet(newProgram, findVariant(newProgram, nu.variant)!, nu);
    const reasonOf = (key: string, changed: boolean): UnmatchedReason => {
      const cid = criterionOf(key);
      if (key.endsWith(REMARK_SUFFIX)) return 'remarkAside';
      if (!key.includes('#')) return 'notRead';
      return changed ? 'inputChanged' : sheet.nodes.has(cid) ? 'inputRemoved' : inVariant(newProgram, nu.variant, cid) ? 'notApplicable' : 'criterionRemoved';
    };
    for (const { key, value, changed } of r.unmatched) unmatched.push({ unit: e.unit, variant: e.variant, key, label: labelOf(key), value, reason: reasonOf(key, !!changed) });
    // Values kept aside earlier: back onto their key only when the old version had no such input (a
    // criterion that returns, a unit it now concerns) and nothing else took the place; else kept again.
    const newKeys = new Set([...sheet.inputs, ...sheet.vetoInputs].map((i) => i.key));
    // Another hand's value kept aside (`rater2:<key>`) goes back to that hand's column, below.
    const handOf = (key: string): HandId | null => {
      const h = /^([a-z0-9]+):/.exec(key)?.[1];
      return h && isHandId(h) && h !== first && hands?.includes(h) && e.hands ? h : null;
    };
    const handKept = kept.filter((k) => handOf(k.key) !== null);
    for (const k of kept) {
      if (handOf(k.key) !== null) continue;
      if (!oldSpecs.has(k.key) && newKeys.has(k.key) && isBlank(r.carried[k.key] ?? null)) {
        r.carried[k.key] = k.value;
        carried++;
      } else {
        const changed = oldSpecs.has(k.key) || newKeys.has(k.key);
        unmatched.push({ unit: e.unit, variant: e.variant, key: k.key, label: k.label ?? labelOf(k.key), value: k.value, reason: reasonOf(k.key, changed) });
      }
    }
    // Every hand's words follow their criterion id; the 一票否决 block's ($veto) stays while vetoes exist.
    const carryRemarks = (list: readonly [string, string][], h: HandId = first): Record<string, string> => {
      const out: Record<string, string> = {};
      for (const [cid, value] of list) {
        const node = sheet.nodes.get(cid);
        if ((node && node.inputs.length > 0) || (cid === '$veto' && sheet.vetoInputs.length > 0)) out[cid] = value;
        else {
          const reason: UnmatchedReason = node ? 'notApplicable' : inVariant(newProgram, nu.variant, cid) ? 'notApplicable' : 'criterionRemoved';
          unmatched.push({ unit: e.unit, variant: e.variant, key: remarkKey(cid, h), label: remarkLabel(cid, h), value, reason });
        }
      }
      return out;
    };
    const remarks = carryRemarks(said);
    const handRemarks: HandRemarks | undefined = others.length ? Object.fromEntries(others.map(([h, list]) => [h, carryRemarks(list, h)])) : undefined;
    // Every other hand's column, by the same criterion ids; what does not fit is kept aside under `<hand>:<key>`.
    let handsOut: Partial<Record<HandId, Record<string, Raw>>> | undefined;
    if (e.hands) {
      handsOut = { [first]: r.carried };
      for (const [h, ins] of Object.entries(e.hands) as [HandId, Record<string, Raw>][]) {
        if (h === first || !ins) continue;
        const f = Object.fromEntries(Object.entries(ins).filter(([, v]) => !isBlank(v)));
        const hr = carryInputs(newProgram, nu.variant, nu, f, oldSheet ? oldInputs : undefined);
        carried += Object.keys(hr.carried).length;
        for (const m of hr.moved) moved.push({ unit: e.unit, from: `${h}:${m.from}`, to: `${h}:${m.to}` });
        for (const { key, value, changed } of hr.unmatched) unmatched.push({ unit: e.unit, variant: e.variant, key: handPath(h, key, first), label: `${handLabel(h)}：${labelOf(key)}`, value, reason: reasonOf(key, !!changed) });
        handsOut[h] = hr.carried;
      }
      // Values of other hands kept aside earlier: back into their hand's column on the same terms as the first hand's.
      for (const k of handKept) {
        const h = handOf(k.key)!;
        const key = k.key.slice(h.length + 1);
        const into = (handsOut[h] ??= {});
        if (!oldSpecs.has(key) && newKeys.has(key) && isBlank(into[key] ?? null)) {
          into[key] = k.value;
          carried++;
        } else unmatched.push({ unit: e.unit, variant: e.variant, key: k.key, label: k.label ?? `${handLabel(h)}：${labelOf(key)}`, value: k.value, reason: reasonOf(key, oldSpecs.has(key) || newKeys.has(key)) });
      }
    }
    entries.push({ unit: nu.name, variant: nu.variant, tags: nu.tags, inputs: r.carried, remarks, ...(handsOut ? { hands: handsOut } : {}), ...(handRemarks ? { handRemarks } : {}) });
  }
  return { entries, unmatched, carried, moved };
}

// ---------------------------------------------------------------------------------------------------
// The visible 未匹配录入 block: a plain sheet in the plan, so every outlet (xlsx bytes, ranges) writes it.

export const UNMATCHED_SHEET_NAME = '未匹配录入';
const UNMATCHED_HEADERS = ['被考核单位', '类别', '录入项编号', '原评分项', '录入值', '原因'];
export const UNMATCHED_REASONS: Record<UnmatchedReason, string> = {
  criterionRemoved: '新版本中已无此评分项',
  inputRemoved: '评分项仍在，但此录入项已取消',
  inputChanged: '此录入项在新版本中的内容已改变，未自动转入',
  notApplicable: '新版本中此评分项不考核本单位',
  unitRemoved: '新版本中没有此单位或其类别',
  notRead: '录入在插入的行中，不属于任何录入项',
  settingRemoved: '新版本中已无此本表设定',
  remarkAside: '扣分依据/说明对不上本工作簿的单位、评分人或评分项（或该处已有其他文字）',
};
export const UNMATCHED_REASONS_EN: Record<UnmatchedReason, string> = {
  criterionRemoved: 'the new version has no such criterion',
  inputRemoved: 'the criterion remains but this input was dropped',
  inputChanged: 'this input asks for something else in the new version',
  notApplicable: 'in the new version this criterion does not concern the unit',
  unitRemoved: 'the new version has no such unit or variant',
  notRead: 'typed into an inserted row, not an input of any criterion',
  settingRemoved: 'the new version no longer has this 本表设定 value',
  remarkAside: 'a 扣分依据/说明 that fits no unit, hand or criterion of the workbook (or its place holds other words)',
};

/** The 未匹配录入 sheet: a title, a header row and one row per input kept aside. */
export function unmatchedSheetPlan(unmatched: readonly UnmatchedInput[], version: string): SheetPlan {
  const cells: CellPlan[] = [
    { row: 1, col: 1, style: 'title', value: `未匹配录入（更新为版本 ${version} 时找不到对应评分项的录入，原样保留）` },
    ...UNMATCHED_HEADERS.map((h, i) => ({ row: 2, col: i + 1, style: 'header', value: h })),
  ];
  unmatched.forEach((u, i) => {
    const row = i + 3;
    const value = u.value === null || u.value === undefined ? '' : typeof u.value === 'boolean' ? (u.value ? '是' : '否') : u.value;
    [u.unit, u.variant, u.key, u.label, value, UNMATCHED_REASONS[u.reason]].forEach((v, j) =>
      cells.push({ row, col: j + 1, style: j === 4 ? 'textCenter' : 'text', value: v as string | number }),
    );
  });
  return {
    name: UNMATCHED_SHEET_NAME,
    kind: 'summary',
    state: 'visible',
    columns: [{ width: 16 }, { width: 8 }, { width: 18 }, { width: 36 }, { width: 12 }, { width: 26 }],
    rowHeights: [undefined, 28],
    cells,
    merges: [{ top: 1, left: 1, bottom: 1, right: 6 }],
    validations: [],
    protection: null,
    print: null,
    conditional: [],
    tabColor: 'C00000',
  };
}

/** Rows read back from an existing 未匹配录入 sheet (header found by its 录入项编号 column), with their 原评分项 text. */
export function readKeptRows(rows: readonly (readonly unknown[])[]): KeptRow[] {
  const h = rows.findIndex((r) => r.includes('录入项编号'));
  if (h < 0) return [];
  const col = (name: string) => rows[h].indexOf(name);
  const [cu, cv, ck, cl, cx] = [col('被考核单位'), col('类别'), col('录入项编号'), col('原评分项'), col('录入值')];
  return rows
    .slice(h + 1)
    .map((r) => ({ unit: String(r[cu] ?? ''), variant: String(r[cv] ?? ''), key: String(r[ck] ?? ''), value: r[cx] as Raw, ...(cl >= 0 && r[cl] ? { label: String(r[cl]) } : {}) }))
    .filter((r) => r.unit && r.key && !isBlank(r.value));
}

/** Rows read back from an existing 未匹配录入 sheet (header found by its 录入项编号 column). */
export function readUnmatchedRows(rows: readonly (readonly unknown[])[]): { unit: string; variant: string; key: string; value: Raw }[] {
  return readKeptRows(rows).map(({ unit, variant, key, value }) => ({ unit, variant, key, value }));
}

/**
 * Puts inputs kept aside by an earlier update back with their units (as `kept`, never over an entry of the
 * sheet), so a newer version may match them and the rest is kept aside again.
 */
export function withUnmatched(old: readonly OldEntry[], rows: readonly KeptRow[]): OldEntry[] {
  const out: OldEntry[] = old.map((e) => ({ ...e, inputs: { ...e.inputs }, kept: [...(e.kept ?? [])] }));
  for (const r of rows) {
    let e = out.find((x) => x.unit === r.unit);
    if (!e) {
      e = { unit: r.unit, variant: r.variant, inputs: {}, kept: [] };
      out.push(e);
    }
    const hand = /^([a-z0-9]+):/.exec(r.key)?.[1];
    if (r.key.endsWith(REMARK_SUFFIX) && (!hand || isHandId(hand))) {
      // A 扣分依据/说明 kept aside earlier goes back with its hand's remarks (`rater2:<id>#扣分依据`: rater2's),
      // never over other words the sheet holds (then it is kept aside again).
      const cid = r.key.slice(hand ? hand.length + 1 : 0, -REMARK_SUFFIX.length);
      const value = String(r.value);
      let said: Record<string, string>;
      if (hand) {
        e.handRemarks = { ...(e.handRemarks ?? {}) };
        said = e.handRemarks[hand as HandId] = { ...(e.handRemarks[hand as HandId] ?? {}) };
      } else said = e.remarks = { ...(e.remarks ?? {}) };
      if (isBlank(said[cid] ?? null)) said[cid] = value;
      else if (said[cid] !== value) e.kept!.push(r);
    } else e.kept!.push(r);
  }
  return out;
}

/** Rows of 各评分人扣分依据 that fit no unit or hand (matchHandRemarks' `unread`), as rows kept aside: withUnmatched takes them. */
export function unreadRemarksKept(unread: readonly UnreadHandRemark[], variantOf: (unit: string) => string | undefined): KeptRow[] {
  return unread.map((r) => ({
    unit: r.unit || '（无单位）', variant: variantOf(r.unit) ?? '', key: `${r.hand ? `${r.hand}:` : ''}${r.id}${REMARK_SUFFIX}`, value: r.text,
    label: `${HAND_REMARKS_SHEET}第${r.row}行：${r.hand || '?'}：${r.id || '?'}：扣分依据/说明`,
  }));
}
