// Heavy libraries are loaded on demand through dynamic import() only, so they land in their own async
// chunks (see splitChunks in webpack.config.js) and stay out of the initial task pane script.
// 'exceljs' resolves to its prebuilt browser build (package.json "browser": dist/exceljs.min.js).
export type ExcelJsModule = typeof import('exceljs');

let excelJs: Promise<ExcelJsModule> | undefined;

/** Loads ExcelJS once (about 250 KB gzip); call only when the clerk downloads or uploads a workbook. */
export function loadExcelJs(): Promise<ExcelJsModule> {
  excelJs ??= import(/* webpackChunkName: "exceljs" */ 'exceljs').then(
    (m) => ((m as { default?: ExcelJsModule }).default ?? m) as ExcelJsModule,
  );
  return excelJs;
}
