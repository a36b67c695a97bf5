// 导入评分细则 inside Excel: the clerk pastes the document's table into a sheet and selects it → the import
// layer reads the selection (src/import) → the 评分细则 sheet (src/excel/import-sheet.ts writes it: 计分方式
// a dropdown of the registry's kind names, 参数 in words, the rubric kept in the hidden sheet _dafen_细则).
// Editing a row re-checks the whole sheet at once (the sheet's onChanged, through the pane's one queue) and
// writes 计分方式 (where it followed the 参数), 识别依据, 需确认 and 检查结果; nothing the clerk typed is
// rewritten. 生成打分表 works from that sheet (the rubric joins the picker; the pane's own 生成打分表 makes the
// workbook, whose _dafen keeps the embedded copy), and the rubric can be saved as a YAML file.
import { freeSheetName, readImportSheet, readSelection, registerImportSheet, writeImportChecks, writeImportSheet } from '../excel/import-sheet';
import type { App } from './app';
import { offerDownload } from './download';
import { entryFromText } from './catalog';
import type { MessageId } from './i18n';
import { setMessage } from './shell';

type ImportModule = typeof import('../import');
type SheetColumn = import('../import').SheetColumn;
type Runner = <T>(fn: (context: Excel.RequestContext) => Promise<T>) => Promise<T>;

interface State {
  app: App;
  run: Runner;
  registered: Set<string>;
  /** The 评分细则 sheet's id, once written or found. */
  sheetId: string | null;
  lastYaml: string | null;
  lastId: string | null;
  status: HTMLElement;
  checking: Promise<unknown> | null;
  queued: Promise<unknown> | null;
}

const load = (): Promise<ImportModule> => import(/* webpackChunkName: "import" */ '../import') as Promise<ImportModule>;

function make<K extends keyof HTMLElementTagNameMap>(app: App, tag: K, attrs: Record<string, string> = {}, id?: MessageId): HTMLElementTagNameMap[K] {
  const el = app.doc.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  if (id) setMessage(el, id, app.lang());
  return el;
}

function say(s: State, id: MessageId, params: Record<string, string> = {}, kind: 'ok' | 'error' | '' = ''): void {
  setMessage(s.status, id, s.app.lang(), params);
  s.status.className = `status ${kind}`.trim();
}

/**
 * Builds the 导入评分细则 card of the Excel mode and, where the workbook already holds a 评分细则 sheet (the
 * pane reopened), registers its change handler. `run` is the pane's queue (one Excel.run at a time).
 */
export function startImportExcel(app: App, run: Runner, registered: Set<string>): void {
  const host = app.doc.getElementById('excel-actions');
  if (!host || app.doc.getElementById('import-excel')) return;
  const card = make(app, 'div', { id: 'import-excel', class: 'result' });
  const read = make(app, 'button', { id: 'import-excel-read', type: 'button' }, 'importx.read');
  const generate = make(app, 'button', { id: 'import-excel-generate', type: 'button' }, 'importx.generate');
  const save = make(app, 'button', { id: 'import-excel-save', type: 'button' }, 'importx.save');
  const status = make(app, 'p', { id: 'import-excel-status', class: 'status', role: 'status' });
  card.append(make(app, 'h3', {}, 'import.title'), make(app, 'p', { class: 'meta' }, 'importx.intro'), read, generate, save, status);
  host.append(card);
  const s: State = { app, run, registered, sheetId: null, lastYaml: null, lastId: null, status, checking: null, queued: null };
  read.addEventListener('click', () => void app.busy(read, () => importSelection(s)));
  generate.addEventListener('click', () =>
    void app.busy(generate, async () => {
      if (!(await check(s))) return;
      app.doc.getElementById('generate')?.click();
    }),
  );
  save.addEventListener('click', () =>
    void app.busy(save, async () => {
      if (!(await check(s)) || !s.lastYaml) return;
      offerDownload(app, s.lastYaml, `${s.lastId ?? 'rubric'}.yaml`, 'text/yaml;charset=utf-8');
    }),
  );
  current = s;
  if (early) void watchImportSheets(early).catch((error) => app.fail(error));
}

let current: State | null = null;
/** The sheets, when the pane's first read came before the card was built. */
let early: readonly { id: string; name: string }[] | null = null;

/**
 * The pane (re)opened over a workbook: given its sheets (read by the pane's own first request), a 评分细则
 * sheet kept with its rubric gets its change handler again — one round trip, only where there is one.
 */
export async function watchImportSheets(sheets: readonly { id: string; name: string }[]): Promise<void> {
  const s = current;
  if (!s) {
    early = sheets;
    return;
  }
  early = null;
  if (s.sheetId) return;
  const mod = await load();
  if (!sheets.some((x) => x.name === mod.BASE_SHEET)) return;
  const sheet = sheets.find((x) => x.name === mod.SHEET_NAME) ?? sheets.find((x) => x.name.startsWith(mod.SHEET_NAME));
  if (sheet) await listen(s, sheet.id);
}

async function listen(s: State, id: string): Promise<void> {
  s.sheetId = id;
  // Excel on the web: a 计分方式 picked from the dropdown fires no onChanged; moving on re-checks the sheet
  const web = s.app.info.platform === 'OfficeOnline';
  const onSelection = web ? (e: Excel.WorksheetSelectionChangedEventArgs) => (e.worksheetId === s.sheetId ? again(s) : Promise.resolve()) : undefined;
  await s.run(async (ctx) => {
    if (registerImportSheet(ctx, id, (e) => onChanged(s, e), s.registered, onSelection)) await ctx.sync();
  });
}

/** One check at a time, and one more at most after it (a burst of events checks the sheet twice, not n times). */
function again(s: State): Promise<unknown> {
  if (s.queued) return s.queued;
  const next = (s.checking ?? Promise.resolve()).then(() => {
    s.queued = null;
    s.checking = check(s).catch((error) => s.app.fail(error)).finally(() => (s.checking = null));
    return s.checking;
  });
  s.queued = next;
  return next;
}

function onChanged(s: State, e: Excel.WorksheetChangedEventArgs): Promise<unknown> {
  if (e.worksheetId !== s.sheetId) return Promise.resolve();
  // a co-author's edit is checked where it is made; the add-in's own writes are made with events off
  if ((e as { source?: string }).source === 'Remote') return Promise.resolve();
  return again(s);
}

/** The selection → the 评分细则 sheet (a new one: nothing in the workbook is replaced). */
async function importSelection(s: State): Promise<void> {
  const mod = await load();
  const sel = await s.run(readSelection);
  if ('refused' in sel) return say(s, 'importx.refused', {}, 'error');
  const r = mod.importGrids([{ rows: sel.text, lineOf: sel.text.map((_, i) => i + 1) }], `${sel.sheet}.xlsx`);
  const sheet = mod.rowsFromImport(r);
  if (!r.rubric || !sheet) {
    const first = r.problems.find((p) => p.severity === 'error');
    return say(s, 'import.failed', { message: first ? (s.app.lang() === 'en' ? first.message.en : first.message.zh) : '' }, 'error');
  }
  const { name } = await s.run((ctx) => freeSheetName(ctx, mod.SHEET_NAME));
  const grid = mod.sheetGrid(sheet.rows);
  const cols = mod.SHEET_COLUMNS;
  const written = await s.run((ctx) =>
    writeImportSheet(ctx, {
      name,
      baseName: mod.BASE_SHEET,
      grid,
      numericCols: [cols.indexOf('points')],
      widths: cols.map((c) => mod.SHEET_WIDTHS[c]),
      kindCol: cols.indexOf('kind'),
      kindList: mod.KIND_CHOICES,
      validationRows: mod.VALIDATION_ROWS,
      rowStyle: sheet.rows.map((x) => (!x.kind && !x.params ? 'group' : x.confirm ? 'confirm' : 'plain')),
      base: mod.baseCells(r.rubric!),
    }),
  );
  await listen(s, written.id);
  const criteria = sheet.rows.filter((x) => x.kind).length;
  say(s, 'importx.written', { sheet: name, count: String(criteria), flagged: String(sheet.rows.filter((x) => x.kind && x.confirm).length) }, 'ok');
  await publish(s, sheet.program, sheet.yaml);
}

/**
 * Reads the 评分细则 sheet as it stands, checks it (src/import: the same grammar and checks), writes what
 * Dafen keeps up to date where it differs, and says how it stands. True when the rubric is usable.
 */
async function check(s: State): Promise<boolean> {
  const mod = await load();
  const key = s.sheetId ?? mod.SHEET_NAME;
  const found = await s.run((ctx) => readImportSheet(ctx, key, mod.BASE_SHEET));
  if (!found) {
    say(s, 'importx.noSheet', {}, 'error');
    return false;
  }
  const base = mod.baseFromCells(found.base);
  if (!base) {
    say(s, 'importx.noBase', {}, 'error');
    return false;
  }
  const read = mod.rowsFromGrid(found.values);
  if (!read) {
    say(s, 'importx.noHeader', { sheet: found.name }, 'error');
    return false;
  }
  if (!s.sheetId) await listen(s, found.id);
  const result = mod.rubricFromRows(base, read.rows);
  // the header's columns as they stand (a clerk may have moved them)
  const head = (found.values[read.sheetRows[0] - 1] ?? found.values[0]).map((v) => String(v ?? '').trim());
  const at = (c: SheetColumn): number => head.indexOf(mod.SHEET_HEADERS[c].zh);
  const cells: { row: number; col: number; value: string; error?: boolean }[] = [];
  result.rows.forEach((row, i) => {
    const r = read.sheetRows[i];
    const mine = result.problems.filter((p) => p.row === i && p.code !== 'import.needsConfirm');
    const checkText = mine.length ? mine.map((p) => `${p.severity === 'error' ? '✗' : '⚠'} ${p.column ? `${mod.SHEET_HEADERS[p.column].zh}：` : ''}${p.message.zh} / ${p.message.en}`).join('\n') : '✓';
    const want: [SheetColumn, string][] = [['kind', row.kind], ['basis', row.basis], ['confirm', row.confirm], ['check', checkText]];
    for (const [c, v] of want) {
      const col = at(c);
      if (col < 0) continue;
      const now = String(found.values[r]?.[col] ?? '');
      // 计分方式 as the clerk left it stays; only a kind that followed the 参数 is written
      if (c === 'kind' && v === read.rows[i].kind) continue;
      if (now !== v) cells.push({ row: r, col, value: v, ...(c === 'check' ? { error: mine.some((p) => p.severity === 'error') } : {}) });
    }
  });
  await s.run((ctx) => writeImportChecks(ctx, found.id, cells));
  const errors = result.problems.filter((p) => p.severity === 'error').length;
  const warnings = result.problems.filter((p) => p.severity === 'warning' && p.code !== 'import.needsConfirm').length;
  if (errors) say(s, 'import.hasErrors', { errors: String(errors) }, 'error');
  else say(s, 'importx.checked', { sheet: found.name, warnings: String(warnings) }, 'ok');
  await publish(s, result.program, result.yaml);
  return result.program !== null;
}

/** The checked rubric joins the picker (selected), for the pane's 生成打分表. */
async function publish(s: State, program: { id: string } | null, yaml: string): Promise<void> {
  if (!program) return;
  s.lastYaml = yaml;
  s.lastId = program.id;
  s.app.picker.addEntry(entryFromText(`${program.id}.yaml`, yaml, false));
}
