/** Offering bytes as a file download from the pane: an object URL on a hidden link, revoked a minute later. */
import type { App } from './app';

export function offerDownload(app: App, data: BlobPart, name: string, type: string): void {
  const url = URL.createObjectURL(new Blob([data], { type }));
  const a = app.doc.createElement('a');
  a.href = url;
  a.download = name;
  a.hidden = true;
  app.doc.body.appendChild(a);
  a.click();
  a.remove();
  app.win.setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
