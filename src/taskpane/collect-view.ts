// 分发 / 收集 (issue 15) outside Excel: upload a master → download its pieces as one zip (one workbook per
// unit for its 自评, or per 评委), which the clerk unpacks and emails one by one; upload the master and the
// returned pieces → download the merged workbook and see, per file, what it took, every conflict (both
// values; the master's kept) and every file refused with the reason. The collect layer (src/collect, with
// the .xlsx outlet under it) and JSZip are loaded on demand.
import type { App } from './app';
import { offerDownload } from './download';
import type { MessageId } from './i18n';
import { setMessage } from './shell';

export type CollectModule = typeof import('../collect');
type MergeReport = import('../collect').MergeReport;
const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

let mod: Promise<CollectModule> | undefined;
export const loadCollect = (): Promise<CollectModule> => (mod ??= import(/* webpackChunkName: "collect" */ '../collect'));

export function make<K extends keyof HTMLElementTagNameMap>(app: App, tag: K, attrs: Record<string, string> = {}, id?: MessageId): HTMLElementTagNameMap[K] {
  const el = app.doc.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  if (id) setMessage(el, id, app.lang());
  return el;
}

export function fileInput(app: App, id: string, label: MessageId, multiple = false): { wrap: HTMLLabelElement; input: HTMLInputElement } {
  const wrap = make(app, 'label', { class: 'field upload' });
  const input = make(app, 'input', { id, type: 'file', accept: '.xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', ...(multiple ? { multiple: '' } : {}) });
  wrap.append(make(app, 'span', {}, label), input);
  return { wrap, input };
}

export const read = async (f: File): Promise<{ name: string; bytes: Uint8Array }> => ({ name: f.name, bytes: new Uint8Array(await f.arrayBuffer()) });

/** Builds the 分发与收集 card at the end of the browser page's actions. */
export function startCollectView(app: App): void {
  const host = app.doc.getElementById('browser-actions');
  if (!host || app.doc.getElementById('collect-view')) return;
  const card = make(app, 'section', { id: 'collect-view', class: 'card' });
  card.append(make(app, 'h2', {}, 'collect.title'), make(app, 'p', { class: 'meta' }, 'collect.intro'));

  // 分发
  const split = fileInput(app, 'collect-split-master', 'collect.splitMaster');
  const byLabel = make(app, 'label', { class: 'field' });
  const by = make(app, 'select', { id: 'collect-by' });
  for (const [value, id] of [['unit', 'collect.byUnit'], ['rater', 'collect.byRater']] as const) {
    const o = make(app, 'option', { value }, id);
    by.append(o);
  }
  byLabel.append(make(app, 'span', {}, 'collect.by'), by);
  const splitButton = make(app, 'button', { id: 'collect-split', type: 'button', class: 'primary' }, 'collect.split');
  const splitStatus = make(app, 'p', { id: 'collect-split-status', class: 'status', role: 'status' });

  // 收集
  const master = fileInput(app, 'collect-merge-master', 'collect.mergeMaster');
  const pieces = fileInput(app, 'collect-merge-pieces', 'collect.mergePieces', true);
  const mergeButton = make(app, 'button', { id: 'collect-merge', type: 'button', class: 'primary' }, 'collect.merge');
  const mergeStatus = make(app, 'p', { id: 'collect-merge-status', class: 'status', role: 'status' });
  const report = make(app, 'ul', { id: 'collect-report', class: 'problems' });

  card.append(make(app, 'h3', {}, 'collect.splitTitle'), split.wrap, byLabel, splitButton, splitStatus,
    make(app, 'h3', {}, 'collect.mergeTitle'), master.wrap, pieces.wrap, mergeButton, mergeStatus, report);
  host.append(card);

  // The master's columns suggest what to send out (自评 by unit, raters by rater), unless the clerk chose.
  let chosen = false;
  by.addEventListener('change', () => (chosen = true));
  split.input.addEventListener('change', () =>
    void app.busy(split.input, async () => {
      const f = split.input.files?.[0];
      if (!f) return;
      const c = await loadCollect();
      const r = await c.readWorkbook((await read(f)).bytes);
      const hands = r.meta?.hands ?? ['assessor'];
      if (!chosen) by.value = !hands.includes('self') && hands.some((h) => h.startsWith('rater')) ? 'rater' : 'unit';
    }),
  );

  splitButton.addEventListener('click', () =>
    void app.busy(splitButton, async () => {
      const f = split.input.files?.[0];
      if (!f) return setMessage(splitStatus, 'collect.needMaster', app.lang());
      setMessage(splitStatus, 'collect.splitting', app.lang());
      const c = await loadCollect();
      const { name, bytes } = await read(f);
      const r = await c.splitWorkbook(bytes, { by: by.value === 'rater' ? 'rater' : 'unit', file: name, generator: 'dafen task pane' });
      if (r.problems) {
        splitStatus.className = 'status error';
        splitStatus.textContent = r.problems.map((p) => (app.lang() === 'en' ? p.message.en : p.message.zh)).join('\n');
        return;
      }
      const JSZip = (await import(/* webpackChunkName: "jszip" */ 'jszip')).default;
      const zip = new JSZip();
      for (const p of r.pieces) zip.file(p.name, p.bytes);
      const zipped = await zip.generateAsync({ type: 'uint8array', compression: 'STORE' });
      const zipName = `${name.replace(/\.xlsx$/i, '')}-分发.zip`;
      offerDownload(app, zipped as BlobPart, zipName, 'application/zip');
      splitStatus.className = 'status ok';
      setMessage(splitStatus, 'collect.splitDone', app.lang(), { count: String(r.pieces.length), file: zipName });
    }),
  );

  mergeButton.addEventListener('click', () =>
    void app.busy(mergeButton, async () => {
      const m = master.input.files?.[0];
      const ps = [...(pieces.input.files ?? [])];
      report.replaceChildren();
      if (!m) return setMessage(mergeStatus, 'collect.needMaster', app.lang());
      if (!ps.length) return setMessage(mergeStatus, 'collect.needPieces', app.lang());
      setMessage(mergeStatus, 'collect.merging', app.lang());
      const c = await loadCollect();
      const mine = await read(m);
      const r = await c.mergeWorkbooks(mine, await Promise.all(ps.map(read)), { generator: 'dafen task pane' });
      const lang = app.lang();
      if (r.problems) {
        mergeStatus.className = 'status error';
        mergeStatus.textContent = r.problems.map((p) => textOf(app, p)).join('\n');
        return;
      }
      const name = `${mine.name.replace(/\.xlsx$/i, '')}-合并.xlsx`;
      offerDownload(app, r.bytes as BlobPart, name, XLSX_TYPE);
      const rep = r.report;
      mergeStatus.className = rep.refused ? 'status error' : 'status ok';
      setMessage(mergeStatus, 'collect.mergeDone', lang, {
        file: name, taken: String(rep.files.length - rep.refused), refused: String(rep.refused), values: String(rep.taken), conflicts: String(rep.conflicts.length),
      });
      renderReport(app, c, rep, report);
    }),
  );
}

/** A problem's text in the pane's language. */
export const textOf = (app: App, p: { message: { zh: string; en: string } }): string => (app.lang() === 'en' ? p.message.en : p.message.zh);

/** The merge's report, one line per file (taken or refused with the reason), each conflict and warning under its file. */
export function renderReport(app: App, c: CollectModule, rep: MergeReport, report: HTMLElement): void {
  const lang = app.lang();
  const text = (p: { message: { zh: string; en: string } }) => textOf(app, p);
  for (const f of rep.files) {
    const li = make(app, 'li', { class: f.status === 'refused' ? 'error' : 'ok', 'data-file': f.file, 'data-status': f.refusal?.code ?? f.status });
    if (f.refusal) li.textContent = text(f.refusal);
    else {
      const hand = c.handName(f.hand!);
      setMessage(li, 'collect.fileTaken', lang, { file: f.file, hand: lang === 'en' ? hand.en : hand.zh, units: String(f.units!.length), taken: String(f.taken), same: String(f.same), conflicts: String(f.conflicts.length), kept: String(f.kept) });
    }
    report.append(li);
    for (const x of f.conflicts) {
      const cl = make(app, 'li', { class: 'warning', 'data-conflict': `${x.unit}|${x.hand}|${x.key}` });
      const hand = c.handName(x.hand);
      setMessage(cl, 'collect.conflict', lang, { unit: x.unit, hand: lang === 'en' ? hand.en : hand.zh, label: x.label, master: String(x.master ?? ''), piece: String(x.piece ?? '') });
      report.append(cl);
    }
    for (const w of f.warnings.filter((x) => x.code !== 'collect.readProblem')) report.append(Object.assign(make(app, 'li', { class: 'warning' }), { textContent: text(w) }));
  }
}
