// 导入评分细则 outside Excel: upload this year's document (.docx / .xlsx / .txt) → src/import reads it →
// the 评分细则 sheet (src/import/sheet.ts: 编号, 考核项目/内容, 分值, 评分标准 verbatim, 计分方式 from the kind
// registry, 参数 in words, 识别依据, 需确认, 检查结果), editable here (计分方式 a dropdown, 参数 typed, each
// change re-checked at once) or downloaded as a workbook for WPS/LibreOffice and uploaded again after editing
// → 生成打分表 adds the rubric to the picker and makes the workbook through the page's own download; the
// rubric can be saved as a YAML file. The import layer (JSZip, fast-xml-parser) is loaded on demand.
import type { App } from './app';
import { offerDownload } from './download';
import { entryFromText } from './catalog';
import type { MessageId } from './i18n';
import { setMessage } from './shell';

type ImportModule = typeof import('../import');
type SheetResult = import('../import').SheetResult;
type SheetRow = import('../import').SheetRow;

const COLUMNS: MessageId[] = ['import.col.id', 'import.col.item', 'import.col.points', 'import.col.text', 'import.col.kind', 'import.col.params', 'import.col.basis', 'import.col.confirm', 'import.col.check'];

function make<K extends keyof HTMLElementTagNameMap>(app: App, tag: K, attrs: Record<string, string> = {}, id?: MessageId): HTMLElementTagNameMap[K] {
  const el = app.doc.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  if (id) setMessage(el, id, app.lang());
  return el;
}

interface State {
  mod: ImportModule;
  base: Record<string, unknown>;
  result: SheetResult;
  name: string;
  /** What the import itself noticed (a header spanning columns, a table found twice…), shown above the sheet. */
  notes: readonly AnyProblem[];
}

/** Builds the 导入评分细则 card at the end of the browser page's actions. */
export function startImportView(app: App): void {
  const host = app.doc.getElementById('browser-actions');
  if (!host || app.doc.getElementById('import-view')) return;
  const card = make(app, 'section', { id: 'import-view', class: 'card' });
  card.append(make(app, 'h2', {}, 'import.title'), make(app, 'p', { class: 'meta' }, 'import.intro'));
  const label = make(app, 'label', { class: 'field upload' });
  const input = make(app, 'input', { id: 'import-file', type: 'file', accept: '.docx,.xlsx,.txt,text/plain' });
  label.append(make(app, 'span', {}, 'import.file'), input);
  const status = make(app, 'p', { id: 'import-status', class: 'status', role: 'status' });
  const review = make(app, 'div', { id: 'import-review' });
  review.hidden = true;
  const wrap = make(app, 'div', { class: 'table-wrap' });
  const table = make(app, 'table', { id: 'import-table' });
  wrap.append(table);
  const problems = make(app, 'ul', { id: 'import-problems', class: 'problems' });
  const generate = make(app, 'button', { id: 'import-generate', type: 'button', class: 'primary' }, 'import.generate');
  const sheet = make(app, 'button', { id: 'import-sheet', type: 'button' }, 'import.downloadSheet');
  const save = make(app, 'button', { id: 'import-save', type: 'button' }, 'import.save');
  review.append(wrap, generate, sheet, save);
  card.append(label, status, problems, review);
  host.append(card);

  let state: State | null = null;
  const els = { status, review, table, problems, generate };
  // 计分方式 picked or 参数 typed: the row is read again and the whole rubric re-checked at once
  table.addEventListener('change', (ev) => {
    const el = ev.target as HTMLTextAreaElement | HTMLSelectElement;
    const i = Number(el.closest('tr')?.getAttribute('data-row'));
    const col = el.getAttribute('data-col') as 'kind' | 'params' | null;
    if (!state || !col || !Number.isInteger(i)) return;
    const rows = state.result.rows.map((r) => ({ ...r }));
    rows[i][col] = el.value;
    state.result = state.mod.rubricFromRows(state.base, rows);
    show(app, state, els);
  });
  input.addEventListener('change', () =>
    void app.busy(input, async () => {
      const file = input.files?.[0];
      if (!file) return;
      setMessage(status, 'import.reading', app.lang());
      status.className = 'status';
      const mod = (await import(/* webpackChunkName: "import" */ '../import')) as ImportModule;
      const bytes = new Uint8Array(await file.arrayBuffer());
      // a 评分细则 workbook downloaded here (or written by dafen import -o) and edited in WPS/LibreOffice
      const edited = /\.xlsx$/i.test(file.name) && bytes.length <= mod.MAX_BYTES ? await mod.readSheetWorkbook(bytes) : null;
      if (edited && 'problems' in edited) return fail(app, els, edited.problems);
      if (edited) {
        state = { mod, base: edited.base, result: edited.result, name: file.name, notes: [] };
        return show(app, state, els);
      }
      const r = await mod.importFile(file.name, bytes);
      const rows = mod.rowsFromImport(r);
      if (!r.program || !r.rubric || !rows) return fail(app, els, r.problems);
      state = { mod, base: r.rubric, result: rows, name: file.name, notes: r.problems.filter((p) => String(p.code).startsWith('import.') && p.code !== 'import.needsConfirm') };
      show(app, state, els);
    }),
  );
  generate.addEventListener('click', () => {
    const program = state?.result.program;
    if (!state || !program) return;
    const entry = entryFromText(`${program.id}.yaml`, state.result.yaml, false);
    app.picker.addEntry(entry);
    setMessage(status, 'import.generated', app.lang(), { title: program.title });
    app.doc.getElementById('download')?.click();
  });
  sheet.addEventListener('click', () =>
    void app.busy(sheet, async () => {
      if (!state) return;
      const bytes = await state.mod.sheetWorkbook(state.base, state.result.rows);
      offerDownload(app, bytes as BlobPart, `${String(state.base.id)}-评分细则.xlsx`, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    }),
  );
  save.addEventListener('click', () => {
    if (!state?.result.program) return;
    offerDownload(app, state.result.yaml, `${String(state.result.rubric.id)}.yaml`, 'text/yaml;charset=utf-8');
  });
}

type Els = { status: HTMLElement; review: HTMLElement; table: HTMLTableElement; problems: HTMLElement; generate: HTMLButtonElement };
type AnyProblem = { path: string; severity: 'error' | 'warning'; message: { zh: string; en: string } };

function fail(app: App, els: Els, problems: readonly AnyProblem[]): void {
  els.problems.textContent = '';
  for (const p of problems) {
    const li = make(app, 'li', { class: p.severity });
    li.textContent = `${p.path ? `${p.path} ` : ''}${app.lang() === 'en' ? p.message.en : p.message.zh}`;
    els.problems.append(li);
  }
  els.review.hidden = true;
  const first = problems.find((p) => p.severity === 'error');
  setMessage(els.status, 'import.failed', app.lang(), { message: first ? (app.lang() === 'en' ? first.message.en : first.message.zh) : '' });
  els.status.className = 'status error';
}

function show(app: App, s: State, els: Els): void {
  const { result } = s;
  const en = app.lang() === 'en';
  els.problems.textContent = '';
  // what the import noticed, and problems of no row (a deleted row…); a row's own are in its 检查结果
  for (const p of [...s.notes, ...result.problems.filter((x) => x.row < 0)]) {
    const li = make(app, 'li', { class: p.severity });
    li.textContent = en ? p.message.en : p.message.zh;
    els.problems.append(li);
  }
  const criteria = result.rows.filter((r) => r.kind || r.params);
  const flagged = criteria.filter((r) => r.confirm).length;
  const errors = result.problems.filter((p) => p.severity === 'error').length;
  if (errors) {
    setMessage(els.status, 'import.hasErrors', app.lang(), { errors: String(errors) });
    els.status.className = 'status error';
  } else {
    setMessage(els.status, 'import.done', app.lang(), { count: String(criteria.length), flagged: String(flagged) });
    els.status.className = `status ${flagged ? '' : 'ok'}`.trim();
  }
  els.generate.disabled = !result.program;
  els.table.textContent = '';
  const head = make(app, 'tr');
  for (const c of COLUMNS) head.append(make(app, 'th', {}, c));
  els.table.append(make(app, 'thead'));
  els.table.tHead!.append(head);
  const body = make(app, 'tbody');
  result.rows.forEach((r: SheetRow, i) => {
    const criterion = Boolean(r.kind || r.params);
    const bad = result.problems.some((p) => p.row === i && p.severity === 'error');
    const cls = [criterion ? 'criterion' : 'group', r.confirm ? 'confirm' : '', bad ? 'error' : ''].filter(Boolean).join(' ');
    const tr = make(app, 'tr', { 'data-row': String(i), 'data-id': `${r.variant}:${r.id}`, class: cls });
    for (const v of [r.id, r.title || r.text.slice(0, 24), r.points || '—', r.text]) tr.append(Object.assign(make(app, 'td'), { textContent: v }));
    const kind = make(app, 'td');
    const params = make(app, 'td');
    if (criterion) {
      const select = make(app, 'select', { class: 'import-kind', 'data-col': 'kind', 'aria-label': `${r.id} 计分方式`, style: 'min-width: 6.5em' });
      const choices = s.mod.KIND_CHOICES.includes(r.kind) ? s.mod.KIND_CHOICES : [r.kind, ...s.mod.KIND_CHOICES];
      for (const k of choices) select.append(Object.assign(make(app, 'option', { value: k }), { textContent: k }));
      select.value = r.kind;
      kind.append(select);
      // the words can be long (several lines of a deduction): a box that shows them whole
      const edit = make(app, 'textarea', { class: 'import-params', 'data-col': 'params', 'aria-label': `${r.id} 参数`, rows: String(Math.min(6, Math.max(2, Math.ceil(r.params.length / 18)))), style: 'min-width: 14em; width: 100%' });
      edit.value = r.params;
      params.append(edit);
    }
    tr.append(kind, params);
    const mine = result.problems.filter((p) => p.row === i && p.code !== 'import.needsConfirm');
    const check = mine.length ? mine.map((p) => `${p.severity === 'error' ? '✗' : '⚠'} ${p.column ? `${en ? s.mod.SHEET_HEADERS[p.column].en : s.mod.SHEET_HEADERS[p.column].zh}：` : ''}${en ? p.message.en : p.message.zh}`).join('\n') : '✓';
    for (const v of [r.basis, r.confirm ? `需确认：${r.confirm}` : '', check]) {
      tr.append(Object.assign(make(app, 'td'), { textContent: v }));
    }
    body.append(tr);
  });
  els.table.append(body);
  els.review.hidden = false;
}
