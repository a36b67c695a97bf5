// Lint: TypeScript rules plus the layering that keeps the engine pure and imports one way:
//   engine ← layout ← {xlsx, excel, cli} ← taskpane; engine ← import ← {cli, taskpane}; {layout, xlsx} ← collect ← {cli, taskpane}
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const layer = (files, forbidden, message) => ({
  files,
  rules: {
    'no-restricted-imports': ['error', { patterns: forbidden.map((group) => ({ group: [group], message })) }],
    'no-restricted-globals': files[0].startsWith('src/engine') || files[0].startsWith('src/layout') || files[0].startsWith('src/import') || files[0].startsWith('src/collect')
      ? ['error', { name: 'window', message: 'pure layer: no DOM' }, { name: 'document', message: 'pure layer: no DOM' }, { name: 'Office', message: 'pure layer: no Office' }, { name: 'Excel', message: 'pure layer: no Office' }]
      : 'off',
  },
});

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'out/', 'test-artifacts/', 'coverage/', 'assets/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2022, sourceType: 'module', globals: { console: 'readonly', process: 'readonly', URL: 'readonly', Buffer: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', fetch: 'readonly', performance: 'readonly', TextEncoder: 'readonly', TextDecoder: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  layer(['src/engine/**/*.ts'], ['exceljs', 'exceljs/*', 'office-*', '@microsoft/*', 'node:*', 'fs', 'path', '**/import', '**/import/*', '**/layout', '**/layout/*', '**/xlsx', '**/xlsx/*', '**/excel', '**/excel/*', '**/cli', '**/cli/*', '**/taskpane', '**/taskpane/*', '**/collect', '**/collect/*'],
    'src/engine is pure: no Office, ExcelJS, Node or DOM, and no outer layer'),
  layer(['src/layout/**/*.ts'], ['exceljs', 'exceljs/*', 'office-*', '@microsoft/*', 'node:*', 'fs', 'path', '**/import', '**/import/*', '**/xlsx', '**/xlsx/*', '**/excel', '**/excel/*', '**/cli', '**/cli/*', '**/taskpane', '**/taskpane/*', '**/collect', '**/collect/*'],
    'src/layout is pure and sits on the engine only'),
  layer(['src/import/**/*.ts'], ['exceljs', 'exceljs/*', 'office-*', '@microsoft/*', 'node:*', 'fs', 'path', '**/layout', '**/layout/*', '**/xlsx', '**/xlsx/*', '**/excel', '**/excel/*', '**/cli', '**/cli/*', '**/taskpane', '**/taskpane/*', '**/collect', '**/collect/*'],
    'src/import is pure and sits on the engine only (file bytes are read with JSZip and fast-xml-parser)'),
  layer(['src/xlsx/**/*.ts'], ['office-*', '@microsoft/*', '**/import', '**/import/*', '**/excel', '**/excel/*', '**/cli', '**/cli/*', '**/taskpane', '**/taskpane/*', '**/collect', '**/collect/*'],
    'src/xlsx sits on engine and layout only'),
  layer(['src/excel/**/*.ts'], ['exceljs', 'exceljs/*', 'node:*', '**/import', '**/import/*', '**/xlsx', '**/xlsx/*', '**/cli', '**/cli/*', '**/taskpane', '**/taskpane/*', '**/collect', '**/collect/*'],
    'src/excel (Office.js adapter) sits on engine and layout only'),
  layer(['src/collect/**/*.ts'], ['exceljs', 'exceljs/*', 'office-*', '@microsoft/*', 'node:*', 'fs', 'path', '**/import', '**/import/*', '**/excel', '**/excel/*', '**/cli', '**/cli/*', '**/taskpane', '**/taskpane/*'],
    'src/collect (split and merge) sits on engine, layout and xlsx; no Node, no DOM: the CLI and the task pane share it'),
  layer(['src/cli/**/*.ts'], ['office-*', '@microsoft/*', '**/excel', '**/excel/*', '**/taskpane', '**/taskpane/*'],
    'src/cli sits on engine, layout and xlsx'),
  layer(['src/taskpane/**/*.ts'], ['node:*', '**/cli', '**/cli/*'],
    'src/taskpane runs in the browser: no Node, no CLI'),
  {
    files: ['**/*.js', 'scripts/**', 'bin/**', 'webpack.config.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', __dirname: 'readonly' } },
  },
);
