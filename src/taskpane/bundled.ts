/// <reference types="webpack/module" />
// The bundled rubrics (rubrics/*.yaml) as raw text, for the web build only: webpack's `asset/source`
// rule (webpack.config.js) turns each file into a string module, and this context puts them all in one
// async chunk ("rubrics") fetched after the pane is ready, so they do not weigh on the initial script.
// Node-side code (tests, CLI) reads rubrics/ from disk instead and never imports this module.
import type { RubricSource } from './catalog';

export function bundledRubrics(): RubricSource[] {
  const ctx = import.meta.webpackContext('../../rubrics', {
    recursive: false,
    regExp: /\.ya?ml$/,
    mode: 'lazy-once',
    chunkName: 'rubrics',
  });
  return ctx
    .keys()
    .filter((k) => k.startsWith('./'))
    .map((k) => ({
      file: k.slice(2),
      load: async () => {
        const m = (await ctx(k)) as string | { default: string };
        return typeof m === 'string' ? m : m.default;
      },
    }));
}
