// The program / variant / units / date picker, shared by the Excel and the browser modes. Plain DOM.
import { hasErrors, parseUnitSpec, type Program } from '../engine';
import { entryFromText, entryLabel, parseUnitList, problemLines, unitsOfVariant, usable, type CatalogEntry } from './catalog';
import { t, type Lang, type MessageId } from './i18n';
import { setMessage } from './shell';

export const ALL_VARIANTS = '*';

/**
 * A date as clerks type it — 2019-01-15, 2019/1/15, 2019.1.15, 2019年1月15日, full-width digits — as
 * YYYY-MM-DD; null when it is not a real date. Blank is undefined (no date: filled in by hand).
 */
export function parseDate(text: string): string | null | undefined {
  const s = text.replace(/[\uff10-\uff19]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0)).trim();
  if (!s) return undefined;
  const m = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$/.exec(s);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return null;
  return `${m[1]}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

export interface Selection {
  entry: CatalogEntry;
  program: Program;
  /** Units with their variant, in order. */
  units: { name: string; variant: string; tags?: string[] }[];
  date?: string;
}

export class Picker {
  entries: CatalogEntry[] = [];
  private readonly el: (id: string) => HTMLElement;
  onChange: (() => void) | null = null;

  constructor(
    private readonly doc: Document,
    private readonly lang: () => Lang,
  ) {
    this.el = (id) => doc.getElementById(id) as HTMLElement;
    this.program.addEventListener('change', () => this.renderProgram());
    this.variant.addEventListener('change', () => this.renderUnits());
    this.el('units-all').addEventListener('change', () => {
      const on = (this.el('units-all') as HTMLInputElement).checked;
      for (const box of this.boxes()) box.checked = on;
      this.renderCount();
    });
    this.el('unit-list').addEventListener('change', () => this.renderCount());
    this.el('units-paste').addEventListener('input', () => this.renderCount());
    this.el('program-file').addEventListener('change', () => void this.loadFile());
    this.placeholder();
  }

  /** The date field's hint, in the pane's language (the field is text: no browser-locale mm/dd/yyyy). */
  private placeholder(): void {
    (this.el('date') as HTMLInputElement).placeholder = t('pick.datePlaceholder', this.lang());
  }

  get program(): HTMLSelectElement {
    return this.el('program') as HTMLSelectElement;
  }
  get variant(): HTMLSelectElement {
    return this.el('variant') as HTMLSelectElement;
  }

  private boxes(): HTMLInputElement[] {
    return Array.from(this.el('unit-list').querySelectorAll<HTMLInputElement>('input[type=checkbox]'));
  }

  show(): void {
    this.el('picker').hidden = false;
  }

  setEntries(entries: CatalogEntry[], selectKey?: string): void {
    this.entries = entries;
    const sel = this.program;
    sel.textContent = '';
    for (const e of entries) {
      const o = this.doc.createElement('option');
      o.value = e.key;
      o.textContent = entryLabel(e);
      sel.appendChild(o);
    }
    if (selectKey) sel.value = selectKey;
    this.renderProgram();
  }

  /** Adds (or replaces) a clerk's file in the list and selects it. */
  addEntry(e: CatalogEntry): void {
    void e.program; // a clerk's file is checked at once: its problems show right away
    const rest = this.entries.filter((x) => x.key !== e.key);
    this.setEntries([...rest, e], e.key);
  }

  current(): CatalogEntry | undefined {
    return this.entries.find((e) => e.key === this.program.value);
  }

  /** Selects a program by id (and version, when given), e.g. from a URL or a test. */
  selectProgram(id: string, version?: string): boolean {
    const e = this.entries.find((x) => x.is(id, version));
    if (!e) return false;
    this.program.value = e.key;
    this.renderProgram();
    return true;
  }

  selectVariant(id: string): void {
    this.variant.value = id;
    this.renderUnits();
  }

  private async loadFile(): Promise<void> {
    const input = this.el('program-file') as HTMLInputElement;
    const file = input.files?.[0];
    if (!file) return;
    const text = await file.text();
    this.addEntry(entryFromText(file.name, text, false));
  }

  renderProgram(): void {
    const e = this.current();
    const summary = this.el('program-summary');
    const list = this.el('program-problems');
    list.textContent = '';
    this.variant.textContent = '';
    if (!e) {
      summary.textContent = '';
      this.renderUnits();
      return;
    }
    const errors = e.problems.filter((p) => p.severity === 'error').length;
    if (e.program && !hasErrors(e.problems)) {
      setMessage(summary, 'pick.programOk', this.lang(), { title: e.program.title, version: e.program.version });
    } else {
      setMessage(summary, 'pick.programProblems', this.lang(), { errors: String(errors), warnings: String(e.problems.length - errors) });
    }
    const lines = problemLines(e.problems, this.lang());
    e.problems.forEach((p, i) => {
      const li = this.doc.createElement('li');
      li.className = p.severity;
      li.textContent = lines[i];
      list.appendChild(li);
    });
    if (e.program) {
      for (const v of e.program.variants) {
        const o = this.doc.createElement('option');
        o.value = v.id;
        o.textContent = `${v.name}${v.annex ? `（${v.annex}）` : ''}`;
        this.variant.appendChild(o);
      }
      if (e.program.variants.length > 1) {
        const o = this.doc.createElement('option');
        o.value = ALL_VARIANTS;
        o.textContent = this.lang() === 'en' ? 'All variants' : '全部类别';
        this.variant.appendChild(o);
      }
    }
    this.renderUnits();
    this.onChange?.();
  }

  renderUnits(): void {
    const list = this.el('unit-list');
    list.textContent = '';
    const p = this.current()?.program;
    if (p) {
      const ids = this.variant.value === ALL_VARIANTS ? p.variants.map((v) => v.id) : [this.variant.value];
      for (const vid of ids) {
        for (const name of unitsOfVariant(p, vid)) {
          const label = this.doc.createElement('label');
          const box = this.doc.createElement('input');
          box.type = 'checkbox';
          box.checked = (this.el('units-all') as HTMLInputElement).checked;
          box.value = name;
          box.dataset.variant = vid;
          label.append(box, ` ${name}`);
          label.title = name;
          list.appendChild(label);
        }
      }
    }
    this.renderCount();
  }

  private renderCount(): void {
    setMessage(this.el('units-count'), 'pick.unitsCount', this.lang(), { count: String(this.units().length) });
  }

  units(): { name: string; variant: string; tags?: string[] }[] {
    const p = this.current()?.program;
    if (!p) return [];
    const out: { name: string; variant: string; tags?: string[] }[] = this.boxes()
      .filter((b) => b.checked)
      .map((b) => ({ name: b.value, variant: b.dataset.variant ?? '' }));
    const fallback = this.variant.value === ALL_VARIANTS ? p.variants[0].id : this.variant.value;
    for (const spec of parseUnitList((this.el('units-paste') as HTMLTextAreaElement).value)) {
      // `名称：标签、标签` gives a unit the rubric does not list its tags (who 各街道 / 进驻单位 items concern).
      const { name, tags } = parseUnitSpec(spec);
      if (out.some((u) => u.name === name)) continue;
      const listed = p.units?.find((u) => u.name === name);
      out.push({ name, variant: listed?.variant ?? fallback, ...(tags.length ? { tags } : {}) });
    }
    return out;
  }

  selection(): Selection | { error: MessageId; params?: Record<string, string> } {
    const entry = this.current();
    if (!entry || !usable(entry) || !entry.program) return { error: 'pick.noProgram' };
    const units = this.units();
    if (units.length === 0) return { error: 'pick.noUnits' };
    const typed = (this.el('date') as HTMLInputElement).value;
    const date = parseDate(typed);
    if (date === null) return { error: 'pick.badDate', params: { value: typed } };
    return { entry, program: entry.program, units, date };
  }

  /** Re-renders the language-dependent parts that are not data-i18n elements. */
  relabel(): void {
    // Everything chosen survives the switch: program, variant, the ticked units (pasted units and the
    // date are the clerk's own text and are not re-rendered).
    const key = this.program.value;
    const variant = this.variant.value;
    const ticked = new Map(this.boxes().map((b) => [`${b.dataset.variant}|${b.value}`, b.checked]));
    this.renderProgram();
    this.program.value = key;
    if (variant) this.selectVariant(variant);
    for (const b of this.boxes()) {
      const was = ticked.get(`${b.dataset.variant}|${b.value}`);
      if (was !== undefined) b.checked = was;
    }
    this.renderCount();
    this.placeholder();
  }
}
