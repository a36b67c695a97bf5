// Inside Excel: 生成打分表, live scoring, 重新计算, 更新评分标准. Every Office call goes through src/excel;
// this file only decides what to do and shows it. Every batch — button actions and change events alike —
// runs through one queue (BatchQueue), each in Excel.run with delayForCellEdit (waits while a clerk is
// typing in a cell instead of failing). Features are used only where the host's requirement set AND the
// loaded office.js have them (hostCaps).
import { firstScoringHand, handPath, hasErrors, type HandId, type Program, type Raw } from '../engine';
import {
  carrySettings, keepingHandRemarksSheet, planWorkbook, unreadRemarksKept,
  type UnitIn, type WorkbookMeta, type WorkbookPlan,
} from '../layout';
import {
  BatchQueue,
  attachLive,
  bindingFromMeta,
  createLiveState,
  decideChange,
  generate,
  handleChange,
  hostCaps,
  openCopy,
  planInputs,
  queueRegister,
  readWorkbookState,
  recalcAll,
  restoreFormulas,
  selectionFallback,
  type ChangeEvent,
  type GenerateResult,
  type HostCaps,
  type LiveState,
  type RecalcReport,
  type WorkbookState,
} from '../excel';
import type { App } from './app';
import { embeddedEntry, entryFromText, entryLabel, type CatalogEntry } from './catalog';
import { readHeld } from './held';
import { bytesToBase64, loadXlsx } from './lazy';
import { REMARK_SUFFIX, diffLines, planMigration, readUnmatchedRows, unmatchedSheetPlan, withUnmatched, type Migration } from './migrate';
import { setMessage } from './shell';
import { t } from './i18n';
import { statusLabel } from './status';
import { fmt } from '../engine';

interface Session {
  app: App;
  caps: HostCaps;
  live: LiveState | null;
  meta: WorkbookMeta | null;
  entry: CatalogEntry | null;
  registered: Set<string>;
  queue: BatchQueue;
  recalc: RecalcReport | null;
  migration: { to: CatalogEntry; m: Migration } | null;
  hadUnmatched: boolean;
  /** The workbook had a 各评分人扣分依据 sheet when its entries were last read (readOldEntries): the new plan replaces it. */
  hadHandRemarks: boolean;
}

/** One Excel.run, queued behind every other batch of the pane. */
function run<T>(s: Session, fn: (context: Excel.RequestContext) => Promise<T>): Promise<T> {
  return s.queue.run(() => Excel.run({ delayForCellEdit: true }, fn));
}

function apiMinorOf(version: string | null | undefined): number {
  const m = /^1\.(\d+)$/.exec(version ?? '');
  return m ? Number(m[1]) : 7;
}

export async function startExcel(app: App): Promise<void> {
  const apiMinor = apiMinorOf(app.info.capabilities?.excelApi);
  const caps = hostCaps(apiMinor, app.info.platform ?? null, typeof Excel === 'undefined' ? undefined : Excel);
  const s: Session = {
    app,
    caps,
    live: null,
    meta: null,
    entry: null,
    registered: new Set(),
    queue: new BatchQueue(),
    recalc: null,
    migration: null,
    hadUnmatched: false,
    hadHandRemarks: false,
  };
  wire(s);
  // 导入评分细则 (issue 12): its card, and the 评分细则 sheet's change handler, through the same queue
  void import('./import-excel').then((m) => m.startImportExcel(app, (fn) => run(s, fn), s.registered)).catch((error) => app.fail(error));
  // 分发 / 收集 with the open workbook as the master (issue 15), through the same queue
  void import('./collect-excel').then((m) => m.startCollectExcel(app, {
    run: (fn) => run(s, fn),
    caps,
    workbook: async () => {
      if (!s.live) await attach(s);
      return s.live && s.meta ? { live: s.live, meta: s.meta } : null;
    },
    openCopy: (base64) => s.queue.run(() => openCopy(base64)),
  })).catch((error) => app.fail(error));
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
    { date: meta.options.date, sort: meta.options.sort, ...(meta.hands ? { hands: meta.hands, ...(meta.assessment ? { assessment: meta.assessment } : {}) } : {}) },
  );
}

/** The program a workbook was made with: from the catalog, else the copy the workbook carries. */
function programFor(s: Session, meta: WorkbookMeta): CatalogEntry | null {
  const { app } = s;
  let entry = findEntry(app, meta.program.id, meta.program.version);
  if (!entry?.program) {
    const own = embeddedEntry(meta);
    if (own) {
      app.picker.addEntry(own);
      entry = own;
    }
  }
  return entry?.program ? entry : null;
}

function liveOff(s: Session, id: 'excel.live.none' | 'excel.live.unknownProgram', params: Record<string, string> = {}): void {
  s.live = null;
  setMessage(s.app.el('live-status'), id, s.app.lang(), params);
  setMessage(s.app.el('live-last'), 'excel8.live.off', s.app.lang());
}

function liveOn(s: Session, entry: CatalogEntry, count: number, state?: WorkbookState): void {
  const { app } = s;
  setMessage(app.el('live-status'), 'excel.live.on', app.lang(), { title: entry.program!.title, version: entry.program!.version, count: String(count) });
  if (state?.renamed.size) app.say('excel8.renamed', { names: [...state.renamed].map(([a, b]) => `${a} → ${b}`).join('、') });
  if (state?.missing.length) app.say('excel8.missing', { names: state.missing.join('、') }, 'error');
}

/**
 * Reads the workbook's state and turns live scoring on (pane load, 重新计算 without live scoring): one
 * round trip for the state (one more after a renamed tab), one to register the handlers and read every
 * sheet's inputs.
 */
async function attach(s: Session): Promise<void> {
  const { app } = s;
  const state = await run(s, readWorkbookState);
  void import('./import-excel').then((m) => m.watchImportSheets(state.sheets)).catch((error) => app.fail(error)); // a kept 评分细则 sheet (issue 12)
  s.hadUnmatched = state.unmatched !== null;
  const meta = state.meta;
  s.meta = meta;
  if (!meta) return liveOff(s, 'excel.live.none');
  const entry = programFor(s, meta);
  if (!entry?.program) return liveOff(s, 'excel.live.unknownProgram', { id: meta.program.id, version: meta.program.version });
  s.entry = entry;
  app.picker.selectProgram(meta.program.id, meta.program.version);
  const binding = bindingFromMeta(meta, replan(entry.program, meta), state.renamed, state.ids);
  const live = createLiveState(entry.program, binding, s.caps);
  s.live = live;
  await run(s, (ctx) => attachLive(ctx, live, (e) => onChange(s, e as ChangeEvent), (e) => onSelection(s, e as ChangeEvent), s.registered));
  liveOn(s, entry, binding.sheets.length, state);
}

/** Live scoring right after generating: ids and inputs come from the generation, no extra round trip. */
function attachGenerated(s: Session, entry: CatalogEntry, plan: WorkbookPlan, ids: ReadonlyMap<string, string>): void {
  s.meta = plan.meta;
  s.entry = entry;
  const binding = bindingFromMeta(plan.meta, plan, new Map(), ids);
  const live = createLiveState(entry.program!, binding, s.caps);
  for (const [name, inputs] of planInputs(plan)) live.inputs.set(name, inputs);
  s.live = live;
  s.hadUnmatched = plan.sheets.some((x) => x.name === '未匹配录入');
  liveOn(s, entry, binding.sheets.length);
}

/** Change events: decided when they arrive (no Office call), handled one at a time through the queue. */
function onChange(s: Session, e: ChangeEvent): Promise<unknown> {
  const live = s.live;
  if (!live) return Promise.resolve();
  const decision = decideChange(e, live);
  if (decision.act === 'ignore') return Promise.resolve();
  return run(s, (ctx) => handleChange(ctx, e, live, decision))
    .then((out) => {
      if (out.decision.act === 'settings') showSettings(s, live, out.writes?.length ?? 0);
      if (out.result) {
        setMessage(s.app.el('live-last'), 'excel.live.last', s.app.lang(), {
          unit: out.result.unit,
          status: statusLabel(out.result, s.app.lang()),
          final: fmt(out.result.final, live.program.policies.precision),
        });
      }
    })
    .catch((error) => writeFailed(s, decision.act === 'settings' ? (live.binding.settings?.sheet ?? '本表设定') : decision.sheet.sheet, error));
}

/** After a 本表设定 edit or 重新计算: the refused cells (sheet and cell, zh-CN first), or how many sheets were re-scored. */
function showSettings(s: Session, live: LiveState, count: number): void {
  const bad = live.settingProblems;
  if (bad.length) s.app.say('excel8.settingsBad', { detail: bad.map((p) => (s.app.lang() === 'en' ? p.message.en : p.message.zh)).join('；') }, 'error');
  else if (count) s.app.say('excel8.settingsApplied', { count }, 'ok');
}

/** The web's dropdown fallback: the input the selection just left is checked as if it had changed. */
function onSelection(s: Session, e: ChangeEvent): Promise<unknown> {
  const live = s.live;
  if (!live) return Promise.resolve();
  const ev = selectionFallback(live, e);
  return ev ? onChange(s, ev) : Promise.resolve();
}

function writeFailed(s: Session, sheet: string, error: unknown): void {
  const code = (error as { code?: unknown })?.code;
  if (code === 'AccessDenied' || code === 'InvalidOperation') s.app.say('excel8.writeFailed', { sheet, code: String(code) }, 'error');
  else s.app.fail(error);
}

/** Asks Office to open the pane with this workbook next time (the manifest's AutoShowTaskpaneWithDocument). */
function autoShowPane(): void {
  const settings = (globalThis as { Office?: { context?: { document?: { settings?: { set(k: string, v: unknown): void; saveAsync(cb?: () => void): void } } } } }).Office?.context?.document?.settings;
  if (!settings) return;
  try {
    settings.set('Office.AutoShowTaskpaneWithDocument', true);
    settings.saveAsync();
  } catch {
    // Older hosts without document settings: the clerk opens the pane from the ribbon.
  }
}

async function doGenerate(s: Session, plan: WorkbookPlan, replace: boolean, entry: CatalogEntry): Promise<GenerateResult> {
  const base64 = s.caps.insertBase64 ? bytesToBase64(await (await loadXlsx()).writeWorkbook(plan)) : undefined;
  // The handlers ride in the last request of the generation (no extra round trip); the state they use is
  // the one attachGenerated sets right after.
  const probe = createLiveState(entry.program!, bindingFromMeta(plan.meta, plan), s.caps);
  const r = await run(s, (ctx) =>
    generate(ctx, plan, {
      base64,
      apiMinor: s.caps.apiMinor,
      replace,
      insertBase64: s.caps.insertBase64,
      requestLimit: s.caps.requestLimit,
      quiet: s.caps.enableEvents,
      finalize: (c, ids) => {
        probe.binding = { ...probe.binding, sheets: probe.binding.sheets.map((x) => ({ ...x, id: ids.get(x.sheet) })) };
        queueRegister(c, probe, (e) => onChange(s, e as ChangeEvent), (e) => onSelection(s, e as ChangeEvent), s.registered);
      },
    }),
  );
  if (r.status === 'done') {
    attachGenerated(s, entry, plan, r.ids);
    autoShowPane();
  }
  return r;
}

function reportFailure(s: Session, r: Extract<GenerateResult, { status: 'failed' }>): void {
  const { app } = s;
  app.say('excel8.genFailed', { code: r.code, message: r.message, restored: t(r.restored ? 'excel8.genRestored' : 'excel8.genNotRestored', app.lang()) }, 'error');
}

/**
 * What the workbook holds now, for carrying it to another plan (更新评分标准, 生成打分表 over a filled workbook):
 * every sheet's inputs and 扣分依据 (other hands' from 各评分人扣分依据, read in the same round trip as the
 * state), and what 未匹配录入 keeps from earlier updates.
 */
async function readOldEntries(s: Session, live: LiveState, meta: WorkbookMeta): Promise<ReturnType<typeof withUnmatched>> {
  const held = await readHeld((fn) => run(s, fn), live, meta);
  s.hadHandRemarks = held.state.handRemarks !== null;
  const variantOf = (unit: string) => live.binding.sheets.find((x) => x.unit === unit)?.variant;
  return withUnmatched(
    live.binding.sheets.map((x) => ({
      unit: x.unit, variant: x.variant, tags: x.tags, inputs: live.inputs.get(x.sheet) ?? {}, remarks: held.remarks.get(x.sheet),
      ...(held.hands ? { hands: held.hands.get(x.sheet) ?? {} } : {}),
      ...(held.handRemarks.byUnit.has(x.unit) ? { handRemarks: held.handRemarks.byUnit.get(x.unit) } : {}),
    })),
    // What 未匹配录入 keeps from earlier updates, and rows of 各评分人扣分依据 naming no unit or hand (kept aside).
    [...(held.state.unmatched ? readUnmatchedRows(held.state.unmatched) : []), ...unreadRemarksKept(held.handRemarks.unread, variantOf)],
  );
}

/**
 * The plan for 生成打分表. Over a Dafen workbook that holds entries, nothing the clerk entered is lost: every
 * entry (and 扣分依据) is carried to the chosen program by what it means, as 更新评分标准 carries it; what has
 * no place in the new sheets — another rubric's inputs, a unit no longer chosen — is kept on 未匹配录入.
 */
async function planKeepingEntries(s: Session, program: Program, units: UnitIn[], date?: string): Promise<WorkbookPlan> {
  const live = s.live;
  const meta = s.meta;
  // Over a multi-hand workbook the new sheets keep its hands (自评, raters), so every hand's column carries over.
  const options = { date, generator: 'dafen add-in', ...(meta?.hands ? { hands: meta.hands, ...(meta.assessment ? { assessment: meta.assessment } : {}) } : {}) };
  if (!live || !meta) return planWorkbook(program, units, options);
  const old = await readOldEntries(s, live, meta);
  const filled = (v: unknown) => v !== null && v !== undefined && String(v).trim() !== '';
  // A 本表设定 value the clerk changed is an entry too: carried (or kept on 未匹配录入) like the others.
  const set = carrySettings(live.program, program, live.settings ?? undefined);
  const some = (m: Partial<Record<string, Record<string, unknown>>> | undefined) => Object.values(m ?? {}).some((h) => Object.values(h ?? {}).some(filled));
  const held = Object.keys(set.settings).length > 0 || set.unmatched.length > 0 ||
    old.some((e) => Object.values(e.inputs).some(filled) || some(e.hands) || Object.values(e.remarks ?? {}).some(filled) || some(e.handRemarks) || (e.kept ?? []).length > 0);
  if (!held) return planWorkbook(program, units, options);
  const m = planMigration(live.program, program, old, new Map(), meta.hands, live.settings);
  const carried = new Map(m.carry.entries.map((e) => [e.unit, e]));
  const chosen = new Set(units.map((u) => (typeof u === 'string' ? u : u.name)));
  const unmatched = [...m.carry.unmatched];
  const first = firstScoringHand(meta.hands ?? ['assessor']);
  for (const e of m.carry.entries) {
    if (chosen.has(e.unit)) continue;
    // A unit no longer chosen: every hand's entries and 扣分依据 kept aside under the hand's key.
    const aside = (key: string, value: unknown) => filled(value) && unmatched.push({ unit: e.unit, variant: e.variant, key, label: key, value: value as Raw, reason: 'unitRemoved' });
    for (const [key, value] of Object.entries(e.inputs)) aside(key, value);
    for (const [h, ins] of Object.entries(e.hands ?? {}) as [HandId, Record<string, Raw>][]) if (h !== first) for (const [key, value] of Object.entries(ins ?? {})) aside(handPath(h, key, first), value);
    for (const [cid, value] of Object.entries(e.remarks)) aside(`${cid}${REMARK_SUFFIX}`, value);
    for (const [h, said] of Object.entries(e.handRemarks ?? {}) as [HandId, Record<string, string>][]) if (h !== first) for (const [cid, value] of Object.entries(said ?? {})) aside(handPath(h, `${cid}${REMARK_SUFFIX}`, first), value);
  }
  const plan = planWorkbook(program, units.map((u) => {
    const name = typeof u === 'string' ? u : u.name;
    const c = carried.get(name);
    if (!c) return u;
    return { ...(typeof u === 'string' ? { name: u } : u), inputs: c.inputs, remarks: c.remarks, ...(c.hands ? { hands: c.hands } : {}), ...(c.handRemarks ? { handRemarks: c.handRemarks } : {}) };
  }), { ...options, settings: m.settings });
  if (unmatched.length || s.hadUnmatched) plan.sheets.splice(plan.sheets.length - 1, 0, unmatchedSheetPlan(unmatched, program.version));
  return s.hadHandRemarks ? keepingHandRemarksSheet(plan) : plan;
}

/** Generates, asking before replacing existing sheets; live scoring follows the new sheets. */
async function generateAsking(s: Session, plan: WorkbookPlan, entry: CatalogEntry, replace = false): Promise<boolean> {
  const { app } = s;
  const r = await doGenerate(s, plan, replace, entry);
  if (r.status === 'conflict') {
    const yes = await confirm(app, r.conflicts);
    if (!yes) {
      app.say('excel.cancelled');
      return false;
    }
    return generateAsking(s, plan, entry, true);
  }
  if (r.status === 'failed') {
    reportFailure(s, r);
    return false;
  }
  let path = t(r.path === 'base64' ? 'excel.path.base64' : 'excel.path.ranges', app.lang());
  if (r.fallback && s.caps.insertBase64) path += t('excel8.fallback', app.lang(), { code: r.fallback });
  if (r.restoredFormulas) path += t('excel8.formulasFixed', app.lang(), { count: String(r.restoredFormulas) });
  app.say('excel.generated', { count: r.sheets.length, path }, 'ok');
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
      const entry = app.picker.entries.find((e) => e.program === sel.program) ?? { program: sel.program } as CatalogEntry;
      await generateAsking(s, await planKeepingEntries(s, sel.program, sel.units, sel.date), entry);
    }),
  );

  const recalc = app.el('recalc');
  recalc.addEventListener('click', () =>
    void app.busy(recalc, async () => {
      if (!s.live) await attach(s);
      const live = s.live;
      if (!live) return app.say('excel.live.none', {}, 'error');
      const report = await run(s, (ctx) => recalcAll(ctx, live));
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
      // A refused 本表设定 value is said last, so it stays on screen.
      if (report.settingProblems.length) showSettings(s, live, 0);
    }),
  );

  const restore = app.el('restore');
  restore.addEventListener('click', () =>
    void app.busy(restore, async () => {
      const live = s.live;
      const report = s.recalc;
      if (!live || !report) return;
      const { restored: n, refused } = await run(s, (ctx) => restoreFormulas(ctx, live, report.overwritten));
      restore.hidden = true;
      s.recalc = null;
      setMessage(app.el('recalc-text'), 'excel.restored', app.lang(), { count: String(n) });
      if (refused.length) app.say('excel8.restoreRefused', { sheets: refused.join('、') }, 'error');
      else app.say('excel.restored', { count: n }, 'ok');
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
  const old = await readOldEntries(s, live, s.meta);
  const m = planMigration(live.program, to.program, old, new Map(), s.meta.hands, live.settings);
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
    m.carry.entries.map((e) => ({
      name: e.unit, variant: e.variant, tags: e.tags, inputs: e.inputs, remarks: e.remarks, ...(e.hands ? { hands: e.hands } : {}), ...(e.handRemarks ? { handRemarks: e.handRemarks } : {}),
    })),
    {
      date: s.meta.options.date, sort: s.meta.options.sort, generator: 'dafen add-in', settings: m.settings,
      // The same workbook in a new version: its hands and its id stay (issue 15).
      ...(s.meta.hands ? { hands: s.meta.hands, ...(s.meta.assessment ? { assessment: s.meta.assessment } : {}) } : {}),
      ...(s.meta.workbookId ? { workbookId: s.meta.workbookId } : {}),
    },
  );
  if (m.carry.unmatched.length || s.hadUnmatched) {
    // Kept visible next to the summary; replaced (not duplicated) by the next update.
    plan.sheets.splice(plan.sheets.length - 1, 0, unmatchedSheetPlan(m.carry.unmatched, program.version));
  }
  // An old 各评分人扣分依据 is replaced, even by an empty one (its words carried or on 未匹配录入), never left stale.
  if (s.hadHandRemarks) keepingHandRemarksSheet(plan);
  const r = await doGenerate(s, plan, true, mig.to);
  if (r.status === 'failed') return reportFailure(s, r);
  if (r.status !== 'done') return;
  s.migration = null;
  app.el('update-apply').hidden = true;
  app.say('excel.updated', { version: program.version, carried: m.carry.carried, unmatched: m.carry.unmatched.length }, 'ok');
}

