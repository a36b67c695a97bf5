// Task pane entry. office.js is loaded by a classic <script> tag (office/office.js, served from this
// origin) before this bundle, so the global Office exists unless that script failed to load; then the
// page still works in the outside-Excel mode.
import { boot, type OfficeLike } from './shell';

const office = typeof Office === 'undefined' ? null : (Office as unknown as OfficeLike);
boot(window, office).catch((error: unknown) => console.error('[dafen] boot failed', error));
