#!/usr/bin/env node
// npm start
// - Windows / macOS (Excel desktop may be installed): `office-addin-debugging start manifest.xml`,
//   which builds, serves and sideloads the add-in into Excel.
// - Elsewhere (Linux, CI; no Excel desktop): serve the task pane with the webpack dev server and explain,
//   in Chinese then English, which URL to open and how to sideload manifest.xml into Excel on the web.
// Set DAFEN_START=serve to force the second path on Windows/macOS too.
import { spawn } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => join(root, 'node_modules', '.bin', process.platform === 'win32' ? `${name}.cmd` : name);
const URL = 'https://localhost:3000/taskpane.html';

export function excelDesktopPossible(platform = process.platform, env = process.env) {
  return (platform === 'win32' || platform === 'darwin') && env.DAFEN_START !== 'serve';
}

/** The block printed after webpack's output: the URL and the sideload steps are its last lines. */
export function instructions(url = URL) {
  return [
    '',
    '打分 Dafen 任务窗格开发服务器（本机未安装 Excel 桌面版；按 Ctrl+C 停止 / press Ctrl+C to stop）',
    '  （证书为自签名时，浏览器会提示不安全：请先打开下面的地址并选择继续访问。）',
    '  (With a self-signed certificate the browser warns first: open the URL below once and choose to proceed.)',
    `  在浏览器中打开 / open in a browser: ${url}`,
    '  在 Excel 网页版中加载：打开工作簿 ▸ 插入 ▸ 加载项 ▸ 上传我的加载项，选择本目录中的 manifest.xml。',
    '  Sideload into Excel on the web: open a workbook ▸ Insert ▸ Add-ins ▸ Upload My Add-in, choose manifest.xml from this folder.',
  ].join('\n');
}

/**
 * Keeps the instructions last: once the server answers, they are printed when webpack's output has
 * been quiet for `quietMs`, and printed again after any later output (a rebuild), so the URL and the
 * sideload steps are always the last lines on the screen.
 */
export function createTail({ print, quietMs = 1200, schedule = setTimeout, cancel = clearTimeout }) {
  let ready = false;
  let pending = true;
  let timer = null;
  const arm = () => {
    if (timer) cancel(timer);
    timer = schedule(() => {
      timer = null;
      if (ready && pending) {
        pending = false;
        print();
      }
    }, quietMs);
  };
  return {
    /** Webpack wrote something. */
    output() {
      pending = true;
      if (ready) arm();
    },
    /** The dev server answers. */
    ready() {
      ready = true;
      arm();
    },
  };
}

function run(command, args, stdio = 'inherit') {
  const child = spawn(command, args, { cwd: root, stdio, shell: process.platform === 'win32' });
  const forward = (signal) => child.kill(signal);
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
  child.on('error', (error) => {
    console.error(`✗ could not run ${command}: ${error.message}`);
    process.exit(1);
  });
  return child;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  if (excelDesktopPossible()) {
    run(bin('office-addin-debugging'), ['start', 'manifest.xml']);
  } else {
    const child = run(bin('webpack'), ['serve', '--mode', 'development'], ['inherit', 'pipe', 'pipe']);
    const tail = createTail({ print: () => console.log(instructions()) });
    child.stdout.on('data', (d) => {
      process.stdout.write(d);
      tail.output();
    });
    child.stderr.on('data', (d) => {
      process.stderr.write(d);
      tail.output();
    });
    child.on('spawn', () => {
      const poll = setInterval(async () => {
        try {
          const { request } = await import('node:https');
          const req = request(URL, { method: 'HEAD', rejectUnauthorized: false, timeout: 1000 }, (res) => {
            res.resume();
            clearInterval(poll);
            tail.ready();
          });
          req.on('error', () => undefined);
          req.end();
        } catch {
          // keep polling
        }
      }, 500);
      child.on('exit', () => clearInterval(poll));
    });
  }
}
