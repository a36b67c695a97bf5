// Webpack build of the Dafen task pane (ESM config; package.json has "type": "module").
//
//   npm run build        production build into dist/ (manifest URLs rewritten, see DAFEN_PUBLIC_URL)
//   npm run build:dev    development build
//   npm run dev-server   HTTPS dev server on https://localhost:3000
//
// office.js: production builds load it from Microsoft's CDN, as Microsoft requires of add-ins (the copy in
// @microsoft/office-js lags behind the hosts: it lacks APIs such as Worksheet.notes that Excel reports).
// The copy in node_modules/@microsoft/office-js is still put into dist/office/: development builds use it,
// and a production page that cannot reach the CDN (outside Excel, offline; the browser tests) falls back
// to it. Nothing else comes from outside hosts.
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import CopyWebpackPlugin from 'copy-webpack-plugin';
import HtmlWebpackPlugin from 'html-webpack-plugin';

const root = dirname(fileURLToPath(import.meta.url));
const DEV_URL = 'https://localhost:3000/';
// Production builds replace DEV_URL in manifest.xml with DAFEN_PUBLIC_URL. The default is only a
// placeholder (example.org is reserved): set DAFEN_PUBLIC_URL=https://your.host/path/ when deploying.
const DEFAULT_PUBLIC_URL = 'https://dafen.example.org/';
const OFFICE_JS_DIST = join(root, 'node_modules', '@microsoft', 'office-js', 'dist');
export const OFFICE_JS_CDN = 'https://appsforoffice.microsoft.com/lib/1/hosted/office.js';

/**
 * The <script> that loads office.js. Production: Microsoft's CDN when the page runs inside Office (Office
 * opens the pane with `_host_Info` in the URL — office.js reads it there — or keeps it in window.name /
 * sessionStorage; Mac and iPad hosts expose WebKit message handlers, Windows WebView2), the
 * same-origin copy when the page is opened outside Office (the download/upload page, the browser tests:
 * no network needed there). Development: always the copy.
 */
export function officeJsTags(production) {
  const local = '<script src="office/office.js"></script>';
  if (!production) return local;
  const pick = [
    '(function () {',
    "  var inOffice = /_host_Info=/i.test(location.search + location.hash) || /_host_Info/i.test(window.name || '');",
    "  try { inOffice = inOffice || !!(window.sessionStorage && sessionStorage.getItem('hostInfoValue')); } catch (e) { /* storage blocked */ }",
    // Office on Mac and iPad talks to the pane through WebKit message handlers; Windows through WebView2.
    '  inOffice = inOffice || !!(window.webkit && window.webkit.messageHandlers) || !!(window.chrome && window.chrome.webview);',
    `  document.write('<script src="' + (inOffice ? '${OFFICE_JS_CDN}' : 'office/office.js') + '"><\\/script>');`,
    '})();',
  ].join('\n');
  return `<script>${pick}</script>`;
}

export function publicUrl(env = process.env) {
  let url = (env.DAFEN_PUBLIC_URL ?? '').trim() || DEFAULT_PUBLIC_URL;
  if (!url.endsWith('/')) url += '/';
  if (!/^https:\/\/[^/]+\//.test(url)) {
    throw new Error(`DAFEN_PUBLIC_URL must be an https:// URL (Office add-ins require HTTPS), got: ${url}`);
  }
  return url;
}

/** Rewrites the dev URLs in attribute values (DefaultValue="https://localhost:3000/…"); comments stay as written. */
export function rewriteManifest(xml, url) {
  return xml.split(`"${DEV_URL}`).join(`"${url}`);
}

// The parts of @microsoft/office-js that an Excel task pane can load at runtime (relative to office.js):
// office.js itself, the Excel host scripts for each platform, the per-locale office_strings.js, and the
// telemetry / error-UI / web-auth helpers the Excel host scripts reference. Other hosts (Word, Outlook…)
// and the *.debug.js twins (~60 MB in total) are left out.
const OFFICE_JS_KEEP = [
  /^office\.js$/,
  /^excel[\w.-]*\.js$/,
  /^(es6-promise|o15apptofilemappingtable)\.js$/,
  /^[a-z]{2,3}(-[a-z0-9]{2,4})+\/office_strings\.js$/,
  /^(telemetry|webauth)\/[\w.-]+\.js$/,
  /^(ariatelemetry|agaveerrorux)\//,
];

export function keepOfficeJsFile(absolutePath) {
  const rel = absolutePath.slice(OFFICE_JS_DIST.length + 1).split('\\').join('/');
  return !rel.endsWith('.debug.js') && OFFICE_JS_KEEP.some((re) => re.test(rel));
}

async function httpsServer() {
  // office-addin-dev-certs makes a locally trusted certificate, but installing it needs sudo: as root
  // without sudo getHttpsServerOptions() throws (toolchain.md). Then fall back to webpack-dev-server's
  // own self-signed certificate (browsers must accept it once; Chromium tests use ignoreHTTPSErrors).
  try {
    const devCerts = (await import('office-addin-dev-certs')).default;
    const options = await devCerts.getHttpsServerOptions();
    return { type: 'https', options: { ca: options.ca, key: options.key, cert: options.cert } };
  } catch (error) {
    console.warn(
      `[dafen] office-addin-dev-certs unavailable (${error instanceof Error ? error.message.split('\n')[0] : error});` +
        ' using a self-signed certificate instead.',
    );
    return 'https';
  }
}

export default async (env = {}, argv = {}) => {
  const production = argv.mode === 'production';
  const serving = Boolean(env.WEBPACK_SERVE);
  const url = production ? publicUrl() : DEV_URL;

  return {
    mode: production ? 'production' : 'development',
    target: 'web',
    context: root,
    devtool: 'source-map',
    entry: {
      taskpane: './src/taskpane/taskpane.ts',
      commands: './src/taskpane/commands.ts',
    },
    output: {
      path: resolve(root, 'dist'),
      publicPath: 'auto',
      // Entry names stay stable (HtmlWebpackPlugin adds ?hash for cache busting); async chunks are hashed.
      filename: '[name].js',
      chunkFilename: production ? '[name].[contenthash:8].js' : '[name].js',
      clean: true,
    },
    resolve: {
      extensions: ['.ts', '.js'],
      // ExcelJS resolves to its prebuilt browser bundle (package.json "browser": dist/exceljs.min.js),
      // which carries its own polyfills and needs no Node built-ins. Everything else here is browser-only
      // code; a Node built-in reaching the task pane is a layering bug and should fail the build loudly,
      // so no fallbacks (polyfills) are configured.
      fallback: {},
    },
    module: {
      // The ExcelJS browser build is already bundled: skip parsing it (faster, no spurious warnings).
      noParse: /[\\/]exceljs[\\/]dist[\\/]exceljs(\.min)?\.js$/,
      rules: [
        {
          // Bundled rubrics (src/taskpane/bundled.ts): raw YAML text, parsed in the browser by the engine.
          test: /\.ya?ml$/,
          include: resolve(root, 'rubrics'),
          type: 'asset/source',
        },
        {
          test: /\.ts$/,
          exclude: /node_modules/,
          use: {
            loader: 'ts-loader',
            options: {
              transpileOnly: true, // type checking is `npm run typecheck`
              configFile: resolve(root, 'tsconfig.json'),
              compilerOptions: { noEmit: false, sourceMap: true },
            },
          },
        },
      ],
    },
    optimization: {
      splitChunks: {
        chunks: 'async',
        cacheGroups: {
          // Heavy libraries get their own async chunk, fetched only by dynamic import() when needed.
          exceljs: {
            test: /[\\/]node_modules[\\/]exceljs[\\/]/,
            name: 'exceljs',
            chunks: 'async',
            priority: 20,
            enforce: true,
          },
        },
      },
    },
    performance: {
      // Guard the initial task pane script; office.js and the on-demand chunks are excluded.
      hints: production ? 'warning' : false,
      maxEntrypointSize: 450 * 1024,
      maxAssetSize: 450 * 1024,
      assetFilter: (name) => name.endsWith('.js') && !name.startsWith('office/') && !name.startsWith('exceljs'),
    },
    plugins: [
      new HtmlWebpackPlugin({
        filename: 'taskpane.html',
        template: './src/taskpane/taskpane.html',
        chunks: ['taskpane'],
        hash: production,
        templateParameters: { officeJs: officeJsTags(production) },
      }),
      new HtmlWebpackPlugin({
        filename: 'commands.html',
        template: './src/taskpane/commands.html',
        chunks: ['commands'],
        hash: production,
        templateParameters: { officeJs: officeJsTags(production) },
      }),
      new HtmlWebpackPlugin({
        filename: 'support.html',
        template: './src/taskpane/support.html',
        chunks: [],
        inject: false,
      }),
      new CopyWebpackPlugin({
        patterns: [
          { from: 'assets', to: 'assets' },
          { from: 'src/taskpane/taskpane.css', to: 'taskpane.css' },
          {
            from: 'manifest.xml',
            to: 'manifest.xml',
            transform: { transformer: (content) => (production ? rewriteManifest(content.toString('utf8'), url) : content) },
          },
          { from: OFFICE_JS_DIST, to: 'office', filter: keepOfficeJsFile, info: { minimized: true } },
        ],
      }),
    ],
    devServer: serving
      ? {
          port: 3000,
          server: await httpsServer(),
          headers: { 'Access-Control-Allow-Origin': '*' },
          // Served from memory; static files all come through CopyWebpackPlugin.
          static: false,
          client: { overlay: { warnings: false, errors: true } },
        }
      : undefined,
    stats: { assetsSort: '!size', excludeAssets: [/^office\//] },
  };
};
