// Task pane entry. office.js is loaded by a classic <script> tag (office/office.js, served from this
// origin) before this bundle, so the global Office exists unless that script failed to load; then the
// page still works in the outside-Excel mode.
import { prepareCatalog, startApp } from './app';
import { boot, type OfficeLike } from './shell';

const office = typeof Office === 'undefined' ? null : (Office as unknown as OfficeLike);
// The rubric catalog loads while Office.onReady is pending.
const catalog = prepareCatalog(window.location.search);
boot(window, office, async (info) => {
  await startApp(window, info, catalog);
}).catch((error: unknown) => console.error('[dafen] boot failed', error));
