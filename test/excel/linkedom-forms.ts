/**
 * linkedom (the DOM the pane tests run on) lacks a few form properties the pane reads: `disabled` and `checked`
 * as properties, and a <select>'s `value`. They are defined here from the attributes, as a browser reflects them.
 * (The pane itself runs in Chromium in test/e2e/; this only lets the Excel-mode tests drive it in Node.)
 */
export function formProperties(win: any): void {
  for (const [cls, prop] of [['HTMLInputElement', 'disabled'], ['HTMLButtonElement', 'disabled'], ['HTMLInputElement', 'checked']] as const) {
    Object.defineProperty(win[cls].prototype, prop, {
      configurable: true,
      get(this: any) {
        return this.hasAttribute(prop);
      },
      set(this: any, v: boolean) {
        if (v) this.setAttribute(prop, '');
        else this.removeAttribute(prop);
      },
    });
  }
  Object.defineProperty(win.HTMLSelectElement.prototype, 'value', {
    configurable: true,
    get(this: any) {
      const opts = Array.from(this.querySelectorAll('option')) as any[];
      const o = opts.find((x) => x.hasAttribute('selected')) ?? opts[0];
      return o ? (o.getAttribute('value') ?? o.textContent) : '';
    },
    set(this: any, v: string) {
      for (const o of Array.from(this.querySelectorAll('option')) as any[]) {
        if (o.getAttribute('value') === v) o.setAttribute('selected', '');
        else o.removeAttribute('selected');
      }
    },
  });
}
