// Inside Excel: 生成打分表, live scoring, 重新计算, 更新评分标准. Every Office call goes through src/excel;
// this file only decides what to do and shows it. Excel.run always with delayForCellEdit (waits while a
// clerk is typing in a cell instead of failing).
import { hasErrors, type Program } from '../engine';
import { planWorkbook, type WorkbookMeta, type WorkbookPlan } from '../layout';
import {
  bindingFromMeta,
  createLiveState,
  generate,
  handleChange,
  loadAllInputs,
  readRemarks,
  readWorkbookState,
  recalcAll,
  registerLive,
  restoreFormulas,
  type ChangeEvent,
  type GenerateResult,
  type LiveCaps,
  type LiveState,
  type RecalcReport,
} from '../excel';
import type { App } from './app';
import { embeddedEntry, entryFromText, entryLabel, type CatalogEntry } from './catalog';
import { bytesToBase64, loadXlsx } from './lazy';
import { diffLines, planMigration, readUnmatchedRows, unmatchedSheetPlan, withUnmatched, type Migration } from './migrate';
import { setMessage } from './shell';
import { statusLabel } from './status';
import { fmt } from '../engine';

interface Session {
  app: App;
  apiMinor: number;
  caps: LiveCaps;
  live: LiveState | null;
  meta: WorkbookMeta | null;
  entry: CatalogEntry | null;
  registered: Set<string>;
  queue: Promise<unknown>;
  recalc: RecalcReport | null;
  migration: { to: CatalogEntry; m: Migration } | null;
  hadUnmatched: boolean;
}

function run<T>(fn: (context: Excel.RequestContext) => Promise<T>): Promise<T> {
  return Excel.run({ delayForCellEdit: true }, fn);
}

function apiMinorOf(version: string | null | undefined): number {
  const m = /^1\.(\d+)$/.exec(version ?? '');
  return m ? Number(m[1]) : 7;
}

export async function startExcel(app: App): Promise<void> {
  const apiMinor = apiMinorOf(app.info.capabilities?.excelApi);
  const s: Session = {
    app,
    apiMinor,
    caps: { triggerSource: apiMinor >= 14, notes: apiMinor >= 18, collectionEvents: apiMinor >= 9 },
    live: null,
    meta: null,
    entry: null,
    registered: new Set(),
    queue: Promise.resolve(),
    recalc: null,
    migration: null,
    hadUnmatched: false,
  };
  wire(s);
  try {
    await attach(s);
  } catch (error) {
    app.fail(error);
  }
}

function findEntry(app: App, id: string, version: string): CatalogEntry | undefined {
  return app.picker.entries.find((e) => e.is(id, version) && e.program !== null && !hasErrors(e.problems));
}

/** The plan a workbook's sheets were made from, planned again from its metadata (same names and cells). */
function replan(program: Program, meta: WorkbookMeta): WorkbookPlan {
  return planWorkbook(
    program,
    meta.sheets.map((x) => ({ name: x.unit, variant: x.variant, tags: x.tags })),
    { date: meta.options.date, sort: meta.options.sort },
  );
}

/** Reads the workbook's metadata and turns live scoring on (pane load, after generating or updating). */
async function attach(s: Session, plan?: WorkbookPlan): Promise<void> {
  const { app } = s;
  const state = await run(readWorkbookState);
  s.hadUnmatched = state.unmatched !== null;
  const meta = plan?.meta ?? state.meta;
  s.meta = meta;
  const status = app.el('live-status');
  if (!meta) {
    setMessage(status, 'excel.live.none', app.lang());
    s.live = null;
    return;
  }
  let entry = findEntry(app, meta.program.id, meta.program.version);
  if (!entry?.program) {
    // Made from a rubric file this machine does not have: the workbook carries its own copy.
    const own = embeddedEntry(meta);
    if (own) {
      app.picker.addEntry(own);
      entry = own;
    }
  }
  if (!entry?.program) {
    setMessage(status, 'excel.live.unknownProgram', app.lang(), { id: meta.program.id, version: meta.program.version });
    s.live = null;
    return;
  }
  s.entry = entry;
  app.picker.selectProgram(meta.program.id, meta.program.version);
  const binding = bindingFromMeta(meta, plan ?? replan(entry.program, meta));
  const live = createLiveState(entry.program, binding, s.caps);
  s.live = live;
  await run((ctx) => registerLive(ctx, live, (e) => onChange(s, e), s.registered));
  await run((ctx) => loadAllInputs(ctx, live));
  setMessage(status, 'excel.live.on', app.lang(), { title: entry.program.title, version: entry.program.version, count: String(binding.sheets.length) });
}

/** Change events are handled one at a time, in order, each in its own Excel.run. */
function onChange(s: Session, e: ChangeEvent): Promise<unknown> {
  s.queue = s.queue
    .then(async () => {
      const live = s.live;
      if (!live) return;
      const out = await run((ctx) => handleChange(ctx, e, live));
      if (out.result) {
        setMessage(s.app.el('live-last'), 'excel.live.last', s.app.lang(), {
          unit: out.result.unit,
          status: statusLabel(out.result, s.app.lang()),
          final: fmt(out.result.final, live.program.policies.precision),
        });
      }
    })
    .catch((error) => s.app.fail(error));
  return s.queue;
}

async function doGenerate(s: Session, plan: WorkbookPlan, replace: boolean): Promise<GenerateResult> {
  const base64 = s.apiMinor >= 13 ? bytesToBase64(await (await loadXlsx()).writeWorkbook(plan)) : undefined;
  if (s.live) s.live.ownWrites++;
  try {
    return await run((ctx) => generate(ctx, plan, { base64, apiMinor: s.apiMinor, replace }));
  } finally {
    if (s.live) s.live.ownWrites--;
  }
}

/** Generates, asking before replacing existing sheets; then attaches live scoring to the new sheets. */
async function generateAsking(s: Session, plan: WorkbookPlan, replace = false): Promise<boolean> {
  const { app } = s;
  const r = await doGenerate(s, plan, replace);
  if (r.status === 'conflict') {
    const yes = await confirm(app, r.conflicts);
    if (!yes) {
      app.say('excel.cancelled');
      return false;
    }
    return generateAsking(s, plan, true);
  }
  await attach(s, plan);
  app.say('excel.generated', { count: r.sheets.length, path: app.lang() === 'en' ? (r.path === 'base64' ? 'inserted at once' : 'written range by range') : r.path === 'base64' ? '一次插入' : '逐区域写入' }, 'ok');
  return true;
}

function confirm(app: App, names: string[]): Promise<boolean> {
  const box = app.el('confirm');
  setMessage(app.el('confirm-text'), 'excel.conflict', app.lang(), { names: names.join('、') });
  box.hidden = false;
  return new Promise((resolve) => {
    const done = (v: boolean) => {
      box.hidden = true;
      app.el('confirm-yes').removeEventListener('click', yes);
      app.el('confirm-no').removeEventListener('click', no);
      resolve(v);
    };
    const yes = () => done(true);
    const no = () => done(false);
    app.el('confirm-yes').addEventListener('click', yes);
    app.el('confirm-no').addEventListener('click', no);
  });
}

function wire(s: Session): void {
  const { app } = s;
  const gen = app.el('generate');
  gen.addEventListener('click', () =>
    void app.busy(gen, async () => {
      const sel = app.picker.selection();
      if ('error' in sel) return app.say(sel.error, sel.params ?? {}, 'error');
      app.say('excel.generating');
      await generateAsking(s, planWorkbook(sel.program, sel.units, { date: sel.date, generator: 'dafen add-in' }));
    }),
  );

  const recalc = app.el('recalc');
  recalc.addEventListener('click', () =>
    void app.busy(recalc, async () => {
      if (!s.live) await attach(s);
      const live = s.live;
      if (!live) return app.say('excel.live.none', {}, 'error');
      const report = await run((ctx) => recalcAll(ctx, live));
      s.recalc = report;
      app.el('recalc-result').hidden = false;
      const text = app.el('recalc-text');
      const restore = app.el('restore');
      if (report.overwritten.length) {
        const cells = report.overwritten.slice(0, 12).map((o) => `${o.sheet}!${o.address}`).join('、') + (report.overwritten.length > 12 ? '…' : '');
        setMessage(text, 'excel.overwritten', app.lang(), { count: String(report.overwritten.length), cells });
        restore.hidden = false;
      } else {
        setMessage(text, 'excel.recalcDone', app.lang(), { count: String(report.writes.length) });
        restore.hidden = true;
      }
      app.say('excel.recalcDone', { count: report.writes.length }, 'ok');
    }),
  );

  const restore = app.el('restore');
  restore.addEventListener('click', () =>
    void app.busy(restore, async () => {
      const live = s.live;
      const report = s.recalc;
      if (!live || !report) return;
      const n = await run((ctx) => restoreFormulas(ctx, live, report.overwritten, report.protection));
      restore.hidden = true;
      s.recalc = null;
      setMessage(app.el('recalc-text'), 'excel.restored', app.lang(), { count: String(n) });
      app.say('excel.restored', { count: n }, 'ok');
    }),
  );

  const update = app.el('update');
  update.addEventListener('click', () => {
    const box = app.el('update-box');
    box.hidden = !box.hidden;
    if (!box.hidden) fillUpdateChoices(s);
  });
  app.el<HTMLInputElement>('update-file').addEventListener('change', async () => {
    const file = app.el<HTMLInputElement>('update-file').files?.[0];
    if (!file) return;
    const e = entryFromText(file.name, await file.text(), false);
    app.picker.addEntry(e);
    fillUpdateChoices(s, e.key);
  });
  const preview = app.el('update-preview');
  preview.addEventListener('click', () => void app.busy(preview, () => previewUpdate(s)));
  const apply = app.el('update-apply');
  apply.addEventListener('click', () => void app.busy(apply, () => applyUpdate(s)));
}

function fillUpdateChoices(s: Session, select?: string): void {
  const sel = s.app.el<HTMLSelectElement>('update-program');
  sel.textContent = '';
  const id = s.meta?.program.id;
  for (const e of s.app.picker.entries.filter((x) => !id || x.is(id))) {
    const o = s.app.doc.createElement('option');
    o.value = e.key;
    o.textContent = entryLabel(e);
    sel.appendChild(o);
  }
  if (select) sel.value = select;
}

async function previewUpdate(s: Session): Promise<void> {
  const { app } = s;
  if (!s.live) await attach(s);
  const live = s.live;
  if (!live || !s.meta) return app.say('excel.live.none', {}, 'error');
  const key = app.el<HTMLSelectElement>('update-program').value;
  const to = app.picker.entries.find((e) => e.key === key);
  if (!to?.program || hasErrors(to.problems)) return app.say('pick.noProgram', {}, 'error');
  const wb = await run(readWorkbookState);
  await run((ctx) => loadAllInputs(ctx, live));
  const meta = s.meta;
  const remarks = await run((ctx) => readRemarks(ctx, live.binding, meta));
  const old = withUnmatched(
    live.binding.sheets.map((x) => ({ unit: x.unit, variant: x.variant, tags: x.tags, inputs: live.inputs.get(x.sheet) ?? {}, remarks: remarks.get(x.sheet) })),
    wb.unmatched ? readUnmatchedRows(wb.unmatched) : [],
  );
  const m = planMigration(live.program, to.program, old);
  s.migration = { to, m };
  renderDiff(s, m);
  app.el('update-apply').hidden = m.diff.same && m.carry.unmatched.length === 0 && to.program.version === live.program.version;
  if (m.diff.same) app.say('excel.updateSame');
}

function renderDiff(s: Session, m: Migration): void {
  const box = s.app.el('update-diff');
  box.textContent = '';
  const ul = s.app.doc.createElement('ul');
  const program = s.live?.program;
  for (const line of diffLines(m, (id) => program?.variants.find((v) => v.id === id)?.name ?? id)) {
    const li = s.app.doc.createElement(line.id === 'diff.title' ? 'strong' : 'li');
    setMessage(li, line.id, s.app.lang(), line.params);
    (line.id === 'diff.title' ? box : ul).appendChild(li);
  }
  box.appendChild(ul);
}

async function applyUpdate(s: Session): Promise<void> {
  const { app } = s;
  const mig = s.migration;
  if (!mig?.to.program || !s.meta) return;
  const { m } = mig;
  const program = mig.to.program;
  const plan = planWorkbook(
    program,
    m.carry.entries.map((e) => ({ name: e.unit, variant: e.variant, tags: e.tags, inputs: e.inputs, remarks: e.remarks })),
    { date: s.meta.options.date, sort: s.meta.options.sort, generator: 'dafen add-in' },
  );
  if (m.carry.unmatched.length || s.hadUnmatched) {
    // Kept visible next to the summary; replaced (not duplicated) by the next update.
    plan.sheets.splice(plan.sheets.length - 1, 0, unmatchedSheetPlan(m.carry.unmatched, program.version));
  }
  const r = await doGenerate(s, plan, true);
  if (r.status !== 'done') return;
  s.migration = null;
  app.el('update-apply').hidden = true;
  await attach(s, plan);
  app.say('excel.updated', { version: program.version, carried: m.carry.carried, unmatched: m.carry.unmatched.length }, 'ok');
}

