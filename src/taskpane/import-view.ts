// 导入评分细则 outside Excel: upload this year's document (.docx / .xlsx / .txt) → src/import reads it →
// a 评分细则 review table (编号, 考核项目/内容, 分值, 评分标准 verbatim, 计分方式, 参数, 识别依据, 需确认) →
// 生成打分表 adds the rubric to the picker and makes the workbook through the page's own download; the
// rubric can be saved as a YAML file. The import layer (JSZip, fast-xml-parser) is loaded on demand.
import type { App } from './app';
import { entryFromText } from './catalog';
import { isMessageId, type MessageId } from './i18n';
import { setMessage } from './shell';

type ImportModule = typeof import('../import');
type Result = Awaited<ReturnType<ImportModule['importFile']>>;

const COLUMNS: MessageId[] = ['import.col.id', 'import.col.item', 'import.col.points', 'import.col.text', 'import.col.kind', 'import.col.params', 'import.col.basis', 'import.col.confirm'];

function make<K extends keyof HTMLElementTagNameMap>(app: App, tag: K, attrs: Record<string, string> = {}, id?: MessageId): HTMLElementTagNameMap[K] {
  const el = app.doc.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  if (id) setMessage(el, id, app.lang());
  return el;
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
  const save = make(app, 'button', { id: 'import-save', type: 'button' }, 'import.save');
  review.append(wrap, generate, save);
  card.append(label, status, problems, review);
  host.append(card);

  let last: Result | null = null;
  let mod: ImportModule | null = null;
  // 参数 typed in words: the rule is read again and the rubric re-checked at once
  table.addEventListener('change', (ev) => {
    const input = ev.target as HTMLInputElement;
    const row = input.closest('tr')?.getAttribute('data-id');
    if (!last || !mod || !row || !input.classList.contains('import-params')) return;
    const [variant, id] = row.split(':');
    last = mod.reviseCriterion(last, variant, id, input.value);
    show(app, last, { status, review, table, problems });
  });
  input.addEventListener('change', () =>
    void app.busy(input, async () => {
      const file = input.files?.[0];
      if (!file) return;
      setMessage(status, 'import.reading', app.lang());
      mod = (await import(/* webpackChunkName: "import" */ '../import')) as ImportModule;
      last = await mod.importFile(file.name, new Uint8Array(await file.arrayBuffer()));
      show(app, last, { status, review, table, problems });
    }),
  );
  generate.addEventListener('click', () => {
    if (!last?.program) return;
    const entry = entryFromText(`${last.program.id}.yaml`, last.yaml, false);
    app.picker.addEntry(entry);
    setMessage(status, 'import.generated', app.lang(), { title: last.program.title });
    app.doc.getElementById('download')?.click();
  });
  save.addEventListener('click', () => {
    if (!last?.rubric) return;
    const url = URL.createObjectURL(new Blob([last.yaml], { type: 'text/yaml;charset=utf-8' }));
    const a = make(app, 'a', { href: url, download: `${String(last.rubric.id)}.yaml` });
    a.hidden = true;
    app.doc.body.append(a);
    a.click();
    a.remove();
    app.win.setTimeout(() => URL.revokeObjectURL(url), 60_000);
  });
}

function show(app: App, r: Result, els: { status: HTMLElement; review: HTMLElement; table: HTMLTableElement; problems: HTMLElement }): void {
  els.problems.textContent = '';
  // every problem, as `dafen validate` words it (errors first); 需确认 is shown in its row instead
  const shown = r.problems.filter((x) => x.code !== 'import.needsConfirm').sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1));
  for (const p of shown) {
    const li = make(app, 'li', { class: p.severity });
    li.textContent = `${p.path ? `${p.path} ` : ''}${app.lang() === 'en' ? p.message.en : p.message.zh}`;
    els.problems.append(li);
  }
  if (!r.program) {
    els.review.hidden = true;
    const first = r.problems.find((p) => p.severity === 'error');
    setMessage(els.status, 'import.failed', app.lang(), { message: first ? (app.lang() === 'en' ? first.message.en : first.message.zh) : '' });
    els.status.className = 'status error';
    return;
  }
  const flagged = r.criteria.filter((c) => c.confidence !== 'high').length;
  setMessage(els.status, 'import.done', app.lang(), { count: String(r.criteria.length), flagged: String(flagged) });
  els.status.className = `status ${flagged ? '' : 'ok'}`.trim();
  els.table.textContent = '';
  const head = make(app, 'tr');
  for (const c of COLUMNS) head.append(make(app, 'th', {}, c));
  els.table.append(make(app, 'thead'));
  els.table.tHead!.append(head);
  const body = make(app, 'tbody');
  for (const c of r.criteria) {
    const tr = make(app, 'tr', { 'data-id': `${c.variant}:${c.id}`, ...(c.confidence === 'high' ? {} : { class: 'confirm' }) });
    const kind = `import.kind.${c.kind}`;
    const cells: (string | MessageId)[] = [c.id, c.title || c.text.slice(0, 24), c.points === undefined ? '—' : String(c.points), c.text];
    for (const v of cells) {
      const td = make(app, 'td');
      td.textContent = v;
      tr.append(td);
    }
    tr.append(isMessageId(kind) ? make(app, 'td', {}, kind) : Object.assign(make(app, 'td'), { textContent: c.kind }));
    const params = make(app, 'td');
    const edit = make(app, 'input', { type: 'text', class: 'import-params', 'aria-label': c.id });
    edit.value = c.params;
    params.append(edit);
    tr.append(params);
    for (const v of [c.readings.map((x) => `“${x.quote}”`).join(' '), c.confidence === 'high' ? '' : `需确认：${c.confirm.join('；')}`]) {
      const td = make(app, 'td');
      td.textContent = v;
      tr.append(td);
    }
    body.append(tr);
  }
  els.table.append(body);
  els.review.hidden = false;
}
