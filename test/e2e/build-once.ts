// Vitest globalSetup: builds the task pane bundle (dist/) once, in the main process, before the browser
// test files start. Built inside a test worker, the synchronous webpack run blocks that worker for a
// minute or more on a loaded machine, and Vitest reports its own RPC timeout ("Timeout calling
// onTaskUpdate") as an unhandled error; two browser files would also build the same dist/ twice.
// Skipped when Chromium is absent or when the run is limited to files that are not browser tests.
import { ensureBuild, findChromium } from './browser-kit';

const BROWSER_FILES = /(^|\/)(e2e|browser|pane)/;

export default function setup(): void {
  if (!findChromium()) return;
  const i = process.argv.indexOf('run');
  const filters = (i >= 0 ? process.argv.slice(i + 1) : process.argv.slice(2)).filter((a) => !a.startsWith('-') && !/vitest(\.m?js)?$/.test(a));
  if (filters.length && !filters.some((f) => BROWSER_FILES.test(f))) return;
  ensureBuild();
}
