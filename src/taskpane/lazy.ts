// Heavy parts are loaded on demand through dynamic import() only, so they land in their own async
// chunks (see splitChunks in webpack.config.js) and stay out of the initial task pane script: the .xlsx
// outlet (src/xlsx) and ExcelJS under it ('exceljs' resolves to its prebuilt browser build, package.json
// "browser": dist/exceljs.min.js, about 250 KB gzip).

export type XlsxModule = typeof import('../xlsx');
let xlsx: Promise<XlsxModule> | undefined;

/** The .xlsx outlet (src/xlsx, on ExcelJS), loaded on first download, upload or 1.13 insert. */
export function loadXlsx(): Promise<XlsxModule> {
  xlsx ??= import(/* webpackChunkName: "xlsx" */ '../xlsx');
  return xlsx;
}

/** Bytes → base64 for insertWorksheetsFromBase64, in chunks (String.fromCharCode has an argument limit). */
export function bytesToBase64(bytes: Uint8Array): string {
  let s = '';
  const CHUNK = 0x8000;
  for (let i = 0; i < bytes.length; i += CHUNK) s += String.fromCharCode(...bytes.subarray(i, i + CHUNK));
  return btoa(s);
}
