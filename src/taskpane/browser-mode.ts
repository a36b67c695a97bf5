// Outside Excel (Office.onReady gave no host): the page for WPS users and old Excel versions.
// Download: program + units → the layout's plan → .xlsx bytes from the shared outlet (ExcelJS, loaded on
// demand). Upload: a filled workbook → inputs through its cell map → the engine → summary and problems.
import { explanationOf, fmt, scoreCohort, type NodeResult, type Problem, type Program, type UnitResult } from '../engine';
import { applySettings, planWorkbook, type WorkbookMeta } from '../layout';
import type { App } from './app';
import { embeddedEntry, type CatalogEntry } from './catalog';
import { t, type Lang, type MessageId } from './i18n';
import { offerDownload } from './download';
import { loadXlsx } from './lazy';
import { setMessage } from './shell';
import { statusLabel, statusOf } from './status';
import type { FilledWorkbook } from '../xlsx';

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export function fileName(program: Program, units: { variant: string }[], date?: string): string {
  const variants = [...new Set(units.map((u) => u.variant))]
    .map((id) => program.variants.find((v) => v.id === id)?.name ?? id)
    .join('、');
  return `打分表-${program.id}-${variants}${date ? `-${date}` : ''}.xlsx`.replace(/[\\/:*?"<>|]/g, '_');
}

/** The last upload, for the downloads it offers and for re-rendering in the other language. */
interface Uploaded {
  program: Program;
  meta: WorkbookMeta;
  read: FilledWorkbook;
  units: UnitResult[];
  file: string;
}
let uploaded: Uploaded | null = null;

export function startBrowser(app: App): void {
  const download = app.el('download');
  download.addEventListener('click', () =>
    void app.busy(download, async () => {
      const sel = app.picker.selection();
      if ('error' in sel) return app.say(sel.error, sel.params ?? {}, 'error');
      app.say('browser.downloading');
      const plan = planWorkbook(sel.program, sel.units, { date: sel.date, generator: 'dafen task pane' });
      const { writeWorkbook } = await loadXlsx();
      const bytes = await writeWorkbook(plan);
      const name = fileName(sel.program, sel.units, sel.date);
      offerDownload(app, bytes as BlobPart, name, XLSX_TYPE);
      app.say('browser.downloaded', { file: name }, 'ok');
    }),
  );

  const upload = app.el<HTMLInputElement>('upload');
  upload.addEventListener('change', () =>
    void app.busy(upload, async () => {
      const file = upload.files?.[0];
      if (!file) return;
      app.say('browser.reading');
      await showUpload(app, new Uint8Array(await file.arrayBuffer()), file.name);
    }),
  );

  void import('./import-view').then((m) => m.startImportView(app)); // 导入评分细则 (issue 12)
  void import('./collect-view').then((m) => m.startCollectView(app)); // 分发 / 收集 (issue 15)
  // After an upload: the corrected workbook (what `dafen score -o` writes) and the 汇总 as CSV.
  const fixed = app.el('download-fixed');
  fixed.addEventListener('click', () =>
    void app.busy(fixed, async () => {
      if (!uploaded) return;
      const { writeWorkbook } = await loadXlsx();
      const bytes = await writeWorkbook(correctedPlan(uploaded));
      const name = uploaded.file.replace(/\.xlsx$/i, '') + '-修正.xlsx';
      offerDownload(app, bytes as BlobPart, name, XLSX_TYPE);
      app.say('browser.downloaded', { file: name }, 'ok');
    }),
  );
  const csv = app.el('download-summary');
  csv.addEventListener('click', () => {
    if (!uploaded) return;
    const name = uploaded.file.replace(/\.xlsx$/i, '') + '-汇总.csv';
    offerDownload(app, summaryCsv(uploaded.program, uploaded.units, app.lang()), name, 'text/csv;charset=utf-8');
    app.say('browser.downloaded', { file: name }, 'ok');
  });
  app.el('detail-back').addEventListener('click', () => showDetail(app, null));
  app.doc.addEventListener('dafen:lang', () => {
    if (!uploaded) return;
    renderSummary(app, uploaded.program, uploaded.units);
    const open = app.el('unit-detail').dataset.unit;
    if (open) showDetail(app, open);
  });
}

/** The workbook `dafen score -o` writes for the upload: inputs and 扣分依据 as entered, formulas and scores rewritten. */
export function correctedPlan(u: Pick<Uploaded, 'program' | 'meta' | 'read'>) {
  const byUnit = new Map(u.read.units.map((x) => [x.unit, x]));
  return planWorkbook(
    u.program,
    u.meta.sheets.map((s) => ({ name: s.unit, variant: s.variant, tags: s.tags, inputs: byUnit.get(s.unit)?.inputs ?? {}, remarks: byUnit.get(s.unit)?.remarks ?? {} })),
    { date: u.meta.options.date, sort: u.meta.options.sort, generator: 'dafen task pane', settings: u.read.settings },
  );
}

const csvCell = (v: string): string => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

/** The summary as CSV (UTF-8 with BOM, so Excel and WPS read the Chinese): every column of the 汇总. */
export function summaryCsv(program: Program, units: UnitResult[], lang: Lang): string {
  const cols = COLS.filter((c) => !c.when || c.when(program));
  const lines = [cols.map((c) => csvCell(t(c.id, lang))).join(',')];
  for (const u of sortedUnits(program, units)) lines.push(cols.map((c) => csvCell(c.get(u, program, lang))).join(','));
  return `\ufeff${lines.join('\r\n')}\r\n`;
}

interface ShownProblem {
  severity: 'error' | 'warning';
  where: string;
  zh: string;
  en: string;
}

/** Reads a filled workbook and renders the summary table and every problem. */
export async function showUpload(app: App, bytes: Uint8Array, file = '打分表.xlsx'): Promise<void> {
  uploaded = null;
  app.el('after-upload').hidden = true;
  showDetail(app, null);
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
  // 本表设定 as the clerk left it (a refused value listed at its cell; the rubric's value used), as `dafen score`.
  const scoring = applySettings(program, read.settings);
  for (const p of scoring.problems) problems.push({ severity: p.severity, where: `${p.params.sheet}!${p.params.cell}`, zh: p.message.zh, en: p.message.en });
  const res = scoreCohort(scoring.program, read.units.map((u) => ({ unit: u.unit, variant: u.variant, tags: u.tags, inputs: u.inputs, cells: true })));
  for (const u of res.units) {
    const cells = read.units.find((x) => x.unit === u.unit);
    for (const p of u.problems) problems.push(inputProblem(u, p, cells?.sheet, cells?.inputCells[p.path]));
  }
  for (const p of res.problems) problems.push({ severity: p.severity, where: p.path, zh: p.message.zh, en: p.message.en });
  // The same findings as `dafen score`: overwritten formulas, results saved without recalculation.
  for (const p of workbookFindings(read, program, 'dafen task pane').problems) problems.push({ severity: p.severity, where: p.path, zh: p.message.zh, en: p.message.en });
  box.hidden = false;
  setMessage(app.el('summary-title'), 'browser.summary', app.lang(), { title: program.title, version: meta.program.version });
  uploaded = { program, meta, read, units: res.units, file };
  renderSummary(app, program, res.units);
  app.el('after-upload').hidden = false;
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

type Col = { id: MessageId; get: (u: UnitResult, p: Program, lang: Lang) => string; when?: (p: Program) => boolean; cls?: string; narrow?: boolean };

/** Every column of the 汇总; `narrow` ones make the table in the pane (名次, 单位, 总分, 状态), the rest open per unit. */
const COLS: Col[] = [
  { id: 'sum.rank', get: (u) => String(u.rank ?? ''), narrow: true },
  { id: 'sum.unit', get: (u) => u.unit, cls: 'unit', narrow: true },
  { id: 'sum.variant', get: (u, p) => p.variants.find((v) => v.id === u.variant)?.name ?? u.variant, when: (p) => p.variants.length > 1 },
  { id: 'sum.base', get: (u, p) => fmt(u.base, p.policies.precision) },
  { id: 'sum.bonus', get: (u, p) => fmt(u.bonus, p.policies.precision), when: (p) => p.variants.some((v) => v.sections.some((s) => s.role === 'bonus')) },
  { id: 'sum.penalty', get: (u, p) => fmt(u.penalty, p.policies.precision), when: (p) => p.variants.some((v) => v.sections.some((s) => s.role === 'penalty')) },
  { id: 'sum.final', get: (u, p) => fmt(u.final, p.policies.precision), narrow: true },
  { id: 'sum.converted', get: (u, p) => (u.converted === null ? '' : fmt(u.converted, p.policies.precision)), when: (p) => Boolean(p.policies.conversion) },
  { id: 'sum.grade', get: (u) => u.grade ?? '', when: (p) => Boolean(p.policies.grades) },
  { id: 'sum.veto', get: (u, _p, lang) => (u.veto ? t('sum.vetoed', lang) : ''), when: (p) => Boolean(p.vetoes?.length) },
  { id: 'sum.status', get: (u, _p, lang) => statusLabel(u, lang), narrow: true },
];

function sortedUnits(program: Program, units: UnitResult[]): UnitResult[] {
  const vIndex = (id: string) => program.variants.findIndex((v) => v.id === id);
  return [...units].sort((a, b) => vIndex(a.variant) - vIndex(b.variant) || (a.rank ?? 0) - (b.rank ?? 0));
}

export function renderSummary(app: App, program: Program, units: UnitResult[]): void {
  const table = app.el('summary-table');
  table.textContent = '';
  const cols = COLS.filter((c) => c.narrow && (!c.when || c.when(program)));
  const head = app.doc.createElement('tr');
  for (const c of cols) {
    const th = app.doc.createElement('th');
    setMessage(th, c.id, app.lang());
    head.appendChild(th);
  }
  const thead = app.doc.createElement('thead');
  thead.appendChild(head);
  const tbody = app.doc.createElement('tbody');
  for (const u of sortedUnits(program, units)) {
    const tr = app.doc.createElement('tr');
    tr.dataset.unit = u.unit;
    tr.tabIndex = 0;
    tr.className = 'open';
    for (const c of cols) {
      const td = app.doc.createElement('td');
      td.textContent = c.get(u, program, app.lang());
      td.dataset.col = c.id;
      if (c.cls) td.className = c.cls;
      if (c.id === 'sum.status') td.dataset.status = statusOf(u).kind;
      if (c.id === 'sum.status' && statusOf(u).kind !== 'done') td.classList.add('bad');
      tr.appendChild(td);
    }
    const open = () => showDetail(app, u.unit);
    tr.addEventListener('click', open);
    tr.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' || e.key === ' ') {
        e.preventDefault();
        open();
      }
    });
    tbody.appendChild(tr);
  }
  table.append(thead, tbody);
}

const flatNodes = (ns: readonly NodeResult[]): NodeResult[] => ns.flatMap((n) => [n, ...flatNodes(n.children)]);

/** One unit's page: every 汇总 column, then each criterion with its points and 备注 (and the clerk's 扣分依据). */
function showDetail(app: App, unit: string | null): void {
  const box = app.el('unit-detail');
  const list = app.el('summary-list');
  const u = unit && uploaded ? uploaded.units.find((x) => x.unit === unit) : undefined;
  if (!u || !uploaded) {
    box.hidden = true;
    delete box.dataset.unit;
    list.hidden = false;
    return;
  }
  const { program } = uploaded;
  const lang = app.lang();
  box.dataset.unit = u.unit;
  app.el('detail-unit').textContent = u.unit;
  const dl = app.el('detail-figures');
  dl.textContent = '';
  for (const c of COLS.filter((x) => x.id !== 'sum.unit' && (!x.when || x.when(program)))) {
    const dt = app.doc.createElement('dt');
    setMessage(dt, c.id, lang);
    const dd = app.doc.createElement('dd');
    dd.textContent = c.get(u, program, lang) || '—';
    dd.dataset.col = c.id;
    dl.append(dt, dd);
  }
  const ol = app.el('detail-nodes');
  ol.textContent = '';
  const remarks = uploaded.read.units.find((x) => x.unit === u.unit)?.remarks ?? {};
  const p = program.policies.precision;
  const sep = lang === 'en' ? ': ' : '：';
  for (const n of flatNodes(u.nodes)) {
    const li = app.doc.createElement('li');
    li.dataset.node = n.id;
    li.className = n.children.length ? 'group' : 'criterion';
    const head = app.doc.createElement('div');
    head.className = 'node-head';
    const title = app.doc.createElement('span');
    title.className = 'node-title';
    title.textContent = n.title || n.id;
    const pts = app.doc.createElement('span');
    pts.className = 'node-points';
    pts.textContent = `${fmt(n.points, p)}${n.max !== null ? ` / ${fmt(n.max, p)}` : ''}`;
    head.append(title, pts);
    li.appendChild(head);
    if (!n.children.length) {
      const e = explanationOf(n, u.problems);
      const note = app.doc.createElement('p');
      note.className = `node-note${e.rejected ? ' bad' : ''}`;
      note.textContent = `${t('detail.note', lang)}${sep}${lang === 'en' ? e.en : e.zh}`;
      li.appendChild(note);
      if (remarks[n.id]) {
        const r = app.doc.createElement('p');
        r.className = 'node-reason';
        r.textContent = `${t('detail.reason', lang)}${sep}${remarks[n.id]}`;
        li.appendChild(r);
      }
    }
    ol.appendChild(li);
  }
  list.hidden = true;
  box.hidden = false;
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
