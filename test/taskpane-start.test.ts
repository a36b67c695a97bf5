// `npm start` without Excel: the URL and the sideload steps are the last lines on the screen, after
// webpack's output — also after a rebuild prints more (scripts/start.js createTail).
import { describe, expect, it } from 'vitest';
// @ts-expect-error plain ES module script without types
import { createTail, excelDesktopPossible, instructions } from '../scripts/start.js';

type Tail = { output(): void; ready(): void };

function fakeClock() {
  let now = 0;
  let seq = 0;
  const timers = new Map<number, { at: number; fn: () => void }>();
  return {
    schedule: (fn: () => void, ms: number) => (timers.set(++seq, { at: now + ms, fn }), seq),
    cancel: (id: number) => void timers.delete(id),
    advance(ms: number) {
      now += ms;
      for (const [id, t] of [...timers].sort((a, b) => a[1].at - b[1].at)) {
        if (t.at <= now) {
          timers.delete(id);
          t.fn();
        }
      }
    },
  };
}

describe('npm start without Excel', () => {
  it('ends its block with the URL and the sideload steps', () => {
    const lines = (instructions('https://localhost:3000/taskpane.html') as string).trim().split('\n');
    expect(lines.at(-3)).toContain('https://localhost:3000/taskpane.html');
    expect(lines.at(-2)).toContain('上传我的加载项');
    expect(lines.at(-1)).toContain('Upload My Add-in');
    expect(lines.at(-1)).toContain('manifest.xml');
  });

  it('prints the instructions once webpack is quiet after the server answers, and again after later output', () => {
    const screen: string[] = [];
    const clock = fakeClock();
    const tail: Tail = createTail({ print: () => screen.push('INSTRUCTIONS'), quietMs: 1000, schedule: clock.schedule, cancel: clock.cancel });
    const webpack = (line: string) => { screen.push(line); tail.output(); };
    webpack('<i> [webpack-dev-server] Project is running at https://localhost:3000/');
    clock.advance(5000);
    expect(screen.at(-1)).not.toBe('INSTRUCTIONS'); // the server does not answer yet
    tail.ready();
    webpack('webpack compiled successfully'); // output right after: wait until it is quiet
    clock.advance(500);
    expect(screen.at(-1)).toBe('webpack compiled successfully');
    clock.advance(600);
    expect(screen.at(-1)).toBe('INSTRUCTIONS');
    expect(screen.filter((l) => l === 'INSTRUCTIONS')).toHaveLength(1);
    clock.advance(10_000);
    expect(screen.filter((l) => l === 'INSTRUCTIONS')).toHaveLength(1); // quiet: not repeated
    webpack('webpack compiled successfully (rebuild)');
    clock.advance(1100);
    expect(screen.at(-1)).toBe('INSTRUCTIONS');
  });

  it('serves (rather than sideloading into Excel desktop) on Linux, or when asked', () => {
    expect(excelDesktopPossible('linux', {})).toBe(false);
    expect(excelDesktopPossible('win32', {})).toBe(true);
    expect(excelDesktopPossible('darwin', { DAFEN_START: 'serve' })).toBe(false);
  });
});
