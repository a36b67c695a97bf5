// 分发 / 收集 inside Excel (issue 15): the open workbook is the master.
//  - 分发: the workbook is read through Office.js (held.ts: the same read 更新评分标准 makes) and split by the
//    collect layer exactly as `dafen split` splits a file; the pieces are offered as one zip to download and,
//    one by one, to open as new workbooks (Excel.createWorkbook) — the only outlet in Office for Mac, whose
//    pane cannot download (office-js #2700).
//  - 收集: the returned files are read and merged by the collect layer (`collectEntries`: the merge without
//    planning a new master); what it takes goes into this workbook's own cells through src/excel/collect.ts, blank cells only
//    (a value typed after the read is kept and listed); entries another version could not place go to
//    未匹配录入 and other hands' 扣分依据 to their sheet (both replaced by the merged plan's, which holds what
//    they held plus the new rows); then every sheet is re-scored (重新计算). The master is never rewritten,
//    so a stop half-way leaves every value it held, and running 收集 again fills in the rest.
import { generate, recalcAll, writeCollected, type CollectedCell, type HostCaps, type LiveState } from '../excel';
import type { WorkbookMeta } from '../layout';
import type { App } from './app';
import { fileInput, loadCollect, make, read, renderReport, textOf, type CollectModule } from './collect-view';
import { offerDownload } from './download';
import { filledOf, readHeld } from './held';
import { bytesToBase64 } from './lazy';
import { t } from './i18n';
import { setMessage } from './shell';

type Runner = <T>(fn: (context: Excel.RequestContext) => Promise<T>) => Promise<T>;

export interface ExcelCollectHost {
  /** The pane's queue: one Excel.run at a time. */
  run: Runner;
  caps: HostCaps;
  /** The open workbook's live state (attached when needed) and metadata; null when it holds no Dafen sheets. */
  workbook(): Promise<{ live: LiveState; meta: WorkbookMeta } | null>;
  /** Opens an .xlsx (base64) as a new workbook, queued behind the pane's other batches. */
  openCopy(base64: string): Promise<void>;
}

/** The workbook's file name without extension, where Office gives it (else the program's title). */
function stemOf(meta: WorkbookMeta): string {
  const url = (globalThis as { Office?: { context?: { document?: { url?: string } } } }).Office?.context?.document?.url ?? '';
  const name = decodeURIComponent(url.split(/[\\/]/).pop() ?? '').replace(/\?.*$/, '').replace(/\.(xlsx|xlsm|xls)$/i, '');
  return name || meta.program.title || '打分表';
}

/** Builds the 分发与收集 card of the Excel mode. */
export function startCollectExcel(app: App, host: ExcelCollectHost): void {
  const at = app.doc.getElementById('excel-actions');
  if (!at || app.doc.getElementById('collect-excel')) return;
  const card = make(app, 'div', { id: 'collect-excel', class: 'result' });
  const byLabel = make(app, 'label', { class: 'field' });
  const by = make(app, 'select', { id: 'collectx-by' });
  for (const [value, id] of [['unit', 'collect.byUnit'], ['rater', 'collect.byRater']] as const) by.append(make(app, 'option', { value }, id));
  byLabel.append(make(app, 'span', {}, 'collect.by'), by);
  const splitButton = make(app, 'button', { id: 'collectx-split', type: 'button' }, 'collectx.split');
  const splitStatus = make(app, 'p', { id: 'collectx-split-status', class: 'status', role: 'status' });
  // Each piece can also be opened as a new workbook (to save and send): the only way where the pane cannot download (Mac).
  const piecesList = make(app, 'ul', { id: 'collectx-pieces-list', class: 'problems' });
  const pieces = fileInput(app, 'collectx-pieces', 'collectx.pieces', true);
  const mergeButton = make(app, 'button', { id: 'collectx-merge', type: 'button' }, 'collectx.merge');
  const mergeStatus = make(app, 'p', { id: 'collectx-merge-status', class: 'status', role: 'status' });
  const report = make(app, 'ul', { id: 'collectx-report', class: 'problems' });
  card.append(make(app, 'h3', {}, 'collect.title'), make(app, 'p', { class: 'meta' }, 'collectx.intro'),
    make(app, 'h3', {}, 'collect.splitTitle'), byLabel, splitButton, splitStatus, piecesList,
    make(app, 'h3', {}, 'collect.mergeTitle'), pieces.wrap, mergeButton, mergeStatus, report);
  at.append(card);

  let chosen = false;
  by.addEventListener('change', () => (chosen = true));
  const status = (el: HTMLElement, kind: 'ok' | 'error' | '', id?: Parameters<typeof setMessage>[1], params: Record<string, string> = {}) => {
    el.className = `status ${kind}`.trim();
    if (id) setMessage(el, id, app.lang(), params);
  };

  splitButton.addEventListener('click', () =>
    void app.busy(splitButton, async () => {
      const wb = await host.workbook();
      if (!wb) return status(splitStatus, 'error', 'collectx.noWorkbook');
      // What the workbook's columns suggest (自评 by unit, raters by rater), unless the clerk chose.
      const hands = wb.meta.hands ?? ['assessor'];
      if (!chosen) by.value = !hands.includes('self') && hands.some((h) => h.startsWith('rater')) ? 'rater' : 'unit';
      status(splitStatus, '', 'collectx.reading');
      const c = await loadCollect();
      const held = await readHeld(host.run, wb.live, wb.meta);
      const stem = stemOf(held.meta);
      const r = await c.splitWorkbook(filledOf(held, wb.live), { by: by.value === 'rater' ? 'rater' : 'unit', file: `${stem}.xlsx`, generator: 'dafen add-in', program: wb.live.program });
      if (r.problems) {
        status(splitStatus, 'error');
        splitStatus.textContent = r.problems.map((p) => textOf(app, p)).join('\n');
        return;
      }
      piecesList.replaceChildren();
      if (host.caps.createWorkbook) {
        for (const p of r.pieces) {
          const li = make(app, 'li', { 'data-piece': p.name });
          const open = make(app, 'button', { type: 'button', 'data-open': p.name }, 'collectx.open');
          open.addEventListener('click', () => void app.busy(open, () => host.openCopy(bytesToBase64(p.bytes))));
          li.append(Object.assign(make(app, 'span'), { textContent: `${p.name} ` }), open);
          piecesList.append(li);
        }
      }
      if (!host.caps.downloads) {
        // Office for Mac: a download from the pane does nothing (office-js #2700): each piece is opened instead.
        return status(splitStatus, host.caps.createWorkbook ? 'ok' : 'error', host.caps.createWorkbook ? 'collectx.openEach' : 'collectx.noOutlet', { count: String(r.pieces.length) });
      }
      const JSZip = (await import(/* webpackChunkName: "jszip" */ 'jszip')).default;
      const zip = new JSZip();
      for (const p of r.pieces) zip.file(p.name, p.bytes);
      const zipped = await zip.generateAsync({ type: 'uint8array', compression: 'STORE' });
      const zipName = `${stem}-分发.zip`;
      offerDownload(app, zipped as BlobPart, zipName, 'application/zip');
      status(splitStatus, 'ok', 'collect.splitDone', { count: String(r.pieces.length), file: zipName });
    }),
  );

  mergeButton.addEventListener('click', () =>
    void app.busy(mergeButton, async () => {
      report.replaceChildren();
      const files = [...(pieces.input.files ?? [])];
      if (!files.length) return status(mergeStatus, 'error', 'collect.needPieces');
      const wb = await host.workbook();
      if (!wb) return status(mergeStatus, 'error', 'collectx.noWorkbook');
      status(mergeStatus, '', 'collectx.reading');
      const c = await loadCollect();
      const held = await readHeld(host.run, wb.live, wb.meta);
      const filled = filledOf(held, wb.live);
      const name = `${stemOf(held.meta)}.xlsx`;
      const r = await c.collectEntries({ name, read: filled }, await Promise.all(files.map(read)), { program: wb.live.program });
      if (r.problems) {
        status(mergeStatus, 'error');
        mergeStatus.textContent = r.problems.map((p) => textOf(app, p)).join('\n');
        return;
      }
      const { writes, report: rep } = r.merged;
      const first = c.firstScoringHand(c.handsOf(held.meta));
      // Values with a cell on the unit sheets; other hands' 扣分依据 have none (their sheet, below).
      const onSheets = writes.filter((w) => w.key !== undefined || w.hand === first);
      let asideRemarks = writes.length - onSheets.length;
      let sideFailed = false;
      status(mergeStatus, '', 'collectx.writing', { count: String(writes.length) });
      const wrote = onSheets.length ? await host.run((ctx) => writeCollected(ctx, wb.live.binding, held.meta, onSheets, wb.live.caps)) : { cells: [] as CollectedCell[], written: 0 };
      // 未匹配录入 and the other hands' 扣分依据: the merged plan's sheets hold what the workbook's held plus the new
      // rows (a row of 各评分人扣分依据 naming no unit or hand moves to 未匹配录入 with it, as in 更新评分标准).
      const side = new Set<string>();
      if (rep.unmatched.length) side.add(c.UNMATCHED_SHEET_NAME);
      if (asideRemarks) {
        side.add(c.HAND_REMARKS_SHEET);
        if (filled.strayRemarks?.length) side.add(c.UNMATCHED_SHEET_NAME);
      }
      if (side.size) {
        const plan = c.mergedPlan(r, name, 'dafen add-in');
        if ('code' in plan) {
          status(mergeStatus, 'error');
          mergeStatus.textContent = textOf(app, plan);
          return;
        }
        const sheets = plan.sheets.filter((x) => side.has(x.name));
        const g = await host.run((ctx) => generate(ctx, { ...plan, sheets, definedNames: [] }, { apiMinor: host.caps.apiMinor, replace: true, insertBase64: false, quiet: host.caps.enableEvents }));
        if (g.status === 'failed') {
          // The side sheets stay as they were (generate puts the old ones back): their new rows were not taken.
          app.say('excel8.genFailed', { code: g.code, message: g.message, restored: t(g.restored ? 'excel8.genRestored' : 'excel8.genNotRestored', app.lang()) }, 'error');
          side.clear();
          asideRemarks = 0;
          sideFailed = true;
        }
      }
      await host.run((ctx) => recalcAll(ctx, wb.live));
      const written = wrote.cells.filter((x) => x.outcome === 'written');
      const remarkCells = written.filter((x) => x.value.remark !== undefined).length;
      const late = wrote.cells.filter((x) => x.outcome === 'changed' || x.outcome === 'unplaced');
      status(mergeStatus, rep.refused || late.length || sideFailed ? 'error' : 'ok', 'collectx.mergeDone', {
        taken: String(rep.files.length - rep.refused), refused: String(rep.refused), values: String(written.length - remarkCells), remarks: String(remarkCells + asideRemarks), conflicts: String(rep.conflicts.length + late.length),
      });
      renderReport(app, c, rep, report);
      lateLines(app, c, late, held.meta, report);
      if (side.size) {
        const li = make(app, 'li', { class: 'warning', 'data-aside': [...side].join('|') });
        setMessage(li, 'collectx.aside', app.lang(), { count: String(rep.unmatched.length + asideRemarks), sheet: [...side].join('、') });
        report.append(li);
      }
    }),
  );
}

/** Values the merge would have filled in but the workbook refused: filled meanwhile, or no cell for them any more. */
function lateLines(app: App, c: CollectModule, late: readonly CollectedCell[], meta: WorkbookMeta, report: HTMLElement): void {
  const lang = app.lang();
  for (const x of late) {
    const hand = c.handName(x.value.hand);
    const sm = meta.sheets.find((s) => s.unit === x.value.unit);
    const label = x.value.key !== undefined ? (sm?.inputs.find((i) => i.key === x.value.key)?.label ?? x.value.key) : '扣分依据/说明';
    const li = make(app, 'li', { class: 'warning', 'data-late': `${x.value.unit}|${x.value.hand}|${x.value.key ?? x.value.remark}|${x.outcome}` });
    if (x.outcome === 'changed') setMessage(li, 'collectx.changed', lang, { sheet: x.sheet, cell: x.address ?? '', now: String(x.now ?? ''), piece: String(x.value.value ?? '') });
    else setMessage(li, 'collectx.unplaced', lang, { unit: x.value.unit, hand: lang === 'en' ? hand.en : hand.zh, label, piece: String(x.value.value ?? '') });
    report.append(li);
  }
}
