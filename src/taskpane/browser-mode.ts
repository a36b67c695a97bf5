// Outside Excel (Office.onReady gave no host): the page for WPS users and old Excel versions.
// Download: program + units → the layout's plan → .xlsx bytes from the shared outlet (ExcelJS, loaded on
// demand). Upload: a filled workbook → inputs through its cell map → the engine → summary and problems.
import { fmt, scoreCohort, type Problem, type Program, type UnitResult } from '../engine';
import { planWorkbook } from '../layout';
import type { App } from './app';
import { embeddedEntry, type CatalogEntry } from './catalog';
import type { MessageId } from './i18n';
import { loadXlsx } from './lazy';
import { setMessage } from './shell';
import { statusText as statusOf } from '../excel/writes';

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export function fileName(program: Program, units: { variant: string }[], date?: string): string {
  const variants = [...new Set(units.map((u) => u.variant))]
    .map((id) => program.variants.find((v) => v.id === id)?.name ?? id)
    .join('、');
  return `打分表-${program.id}-${variants}${date ? `-${date}` : ''}.xlsx`.replace(/[\\/:*?"<>|]/g, '_');
}

export function startBrowser(app: App): void {
  const download = app.el('download');
  download.addEventListener('click', () =>
    void app.busy(download, async () => {
      const sel = app.picker.selection();
      if ('error' in sel) return app.say(sel.error, {}, 'error');
      app.say('browser.downloading');
      const plan = planWorkbook(sel.program, sel.units, { date: sel.date, generator: 'dafen task pane' });
      const { writeWorkbook } = await loadXlsx();
      const bytes = await writeWorkbook(plan);
      const name = fileName(sel.program, sel.units, sel.date);
      const url = URL.createObjectURL(new Blob([bytes as BlobPart], { type: XLSX_TYPE }));
      const a = app.doc.createElement('a');
      a.href = url;
      a.download = name;
      a.hidden = true;
      app.doc.body.appendChild(a);
      a.click();
      a.remove();
      app.win.setTimeout(() => URL.revokeObjectURL(url), 60_000);
      app.say('browser.downloaded', { file: name }, 'ok');
    }),
  );

  const upload = app.el<HTMLInputElement>('upload');
  upload.addEventListener('change', () =>
    void app.busy(upload, async () => {
      const file = upload.files?.[0];
      if (!file) return;
      app.say('browser.reading');
      await showUpload(app, new Uint8Array(await file.arrayBuffer()));
    }),
  );

  void import('./import-view').then((m) => m.startImportView(app)); // 导入评分细则 (issue 12)
}

interface ShownProblem {
  severity: 'error' | 'warning';
  where: string;
  zh: string;
  en: string;
}

/** Reads a filled workbook and renders the summary table and every problem. */
export async function showUpload(app: App, bytes: Uint8Array): Promise<void> {
  const { readFilledWorkbook, workbookFindings } = await loadXlsx();
  const read = await readFilledWorkbook(bytes);
  const problems: ShownProblem[] = read.problems.map((p) => ({
    severity: p.severity,
    where: [p.params.sheet, p.params.cell].filter(Boolean).join('!'),
    zh: p.message.zh,
    en: p.message.en,
  }));
  const box = app.el('summary');
  if (!read.meta) {
    box.hidden = false;
    app.el('summary-table').textContent = '';
    setMessage(app.el('summary-title'), 'browser.notDafen', app.lang());
    renderProblems(app, problems);
    app.say('browser.notDafen', {}, 'error');
    return;
  }
  const meta = read.meta;
  const entry: CatalogEntry | undefined =
    app.picker.entries.find((e) => e.is(meta.program.id, meta.program.version) && e.program) ??
    embeddedEntry(meta) ??
    app.picker.entries.find((e) => e.is(meta.program.id) && e.program);
  if (!entry?.program) {
    box.hidden = false;
    app.el('summary-table').textContent = '';
    setMessage(app.el('summary-title'), 'excel.live.unknownProgram', app.lang(), { id: meta.program.id, version: meta.program.version });
    renderProblems(app, problems);
    return;
  }
  const program = entry.program;
  const res = scoreCohort(program, read.units.map((u) => ({ unit: u.unit, variant: u.variant, tags: u.tags, inputs: u.inputs, cells: true })));
  for (const u of res.units) {
    const cells = read.units.find((x) => x.unit === u.unit);
    for (const p of u.problems) problems.push(inputProblem(u, p, cells?.sheet, cells?.inputCells[p.path]));
  }
  for (const p of res.problems) problems.push({ severity: p.severity, where: p.path, zh: p.message.zh, en: p.message.en });
  // The same findings as `dafen score`: overwritten formulas, results saved without recalculation.
  for (const p of workbookFindings(read, program, 'dafen task pane').problems) problems.push({ severity: p.severity, where: p.path, zh: p.message.zh, en: p.message.en });
  box.hidden = false;
  setMessage(app.el('summary-title'), 'browser.summary', app.lang(), { title: program.title, version: meta.program.version });
  renderSummary(app, program, res.units);
  renderProblems(app, problems);
  app.say('browser.summary', { title: program.title, version: meta.program.version }, 'ok');
}

function inputProblem(u: UnitResult, p: Problem, sheet?: string, cell?: string): ShownProblem {
  return {
    severity: p.severity,
    where: `${sheet ?? u.unit}${cell ? `!${cell}` : ''}`,
    zh: p.message.zh,
    en: p.message.en,
  };
}

const COLS: { id: MessageId; get: (u: UnitResult, p: Program) => string; when?: (p: Program) => boolean; cls?: string }[] = [
  { id: 'sum.rank', get: (u) => String(u.rank ?? '') },
  { id: 'sum.unit', get: (u) => u.unit, cls: 'unit' },
  { id: 'sum.variant', get: (u, p) => p.variants.find((v) => v.id === u.variant)?.name ?? u.variant, when: (p) => p.variants.length > 1 },
  { id: 'sum.base', get: (u, p) => fmt(u.base, p.policies.precision) },
  { id: 'sum.bonus', get: (u, p) => fmt(u.bonus, p.policies.precision), when: (p) => p.variants.some((v) => v.sections.some((s) => s.role === 'bonus')) },
  { id: 'sum.penalty', get: (u, p) => fmt(u.penalty, p.policies.precision), when: (p) => p.variants.some((v) => v.sections.some((s) => s.role === 'penalty')) },
  { id: 'sum.final', get: (u, p) => fmt(u.final, p.policies.precision) },
  { id: 'sum.converted', get: (u, p) => (u.converted === null ? '' : fmt(u.converted, p.policies.precision)), when: (p) => Boolean(p.policies.conversion) },
  { id: 'sum.grade', get: (u) => u.grade ?? '', when: (p) => Boolean(p.policies.grades) },
  { id: 'sum.veto', get: (u) => (u.veto ? '取消评优资格' : ''), when: (p) => Boolean(p.vetoes?.length) },
  { id: 'sum.status', get: (u) => statusOf(u) },
];

export function renderSummary(app: App, program: Program, units: UnitResult[]): void {
  const table = app.el('summary-table');
  table.textContent = '';
  const cols = COLS.filter((c) => !c.when || c.when(program));
  const head = app.doc.createElement('tr');
  for (const c of cols) {
    const th = app.doc.createElement('th');
    setMessage(th, c.id, app.lang());
    head.appendChild(th);
  }
  const thead = app.doc.createElement('thead');
  thead.appendChild(head);
  const tbody = app.doc.createElement('tbody');
  const vIndex = (id: string) => program.variants.findIndex((v) => v.id === id);
  const sorted = [...units].sort((a, b) => vIndex(a.variant) - vIndex(b.variant) || (a.rank ?? 0) - (b.rank ?? 0));
  for (const u of sorted) {
    const tr = app.doc.createElement('tr');
    tr.dataset.unit = u.unit;
    for (const c of cols) {
      const td = app.doc.createElement('td');
      td.textContent = c.get(u, program);
      td.dataset.col = c.id;
      if (c.cls) td.className = c.cls;
      if (c.id === 'sum.status' && !u.complete) td.classList.add('bad');
      tr.appendChild(td);
    }
    tbody.appendChild(tr);
  }
  table.append(thead, tbody);
}

let shown: ShownProblem[] | null = null;

function renderProblems(app: App, problems: ShownProblem[]): void {
  if (shown === null) app.doc.addEventListener('dafen:lang', () => shown && renderProblems(app, shown));
  shown = problems;
  const title = app.el('summary-problems-title');
  const list = app.el('summary-problems');
  list.textContent = '';
  if (problems.length === 0) setMessage(title, 'browser.noProblems', app.lang());
  else setMessage(title, 'browser.problems', app.lang(), { count: String(problems.length) });
  for (const p of problems) {
    const li = app.doc.createElement('li');
    li.className = p.severity;
    li.textContent = `${p.where ? `${p.where}：` : ''}${app.lang() === 'en' ? p.en : p.zh}`;
    list.appendChild(li);
  }
}
