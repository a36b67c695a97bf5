import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    // Two cores: keep the LibreOffice and browser suites from starving each other.
    maxWorkers: 2,
    // dist/ for the Chromium tests, built once before the workers start (test/e2e/build-once.ts).
    globalSetup: ['test/e2e/build-once.ts'],
    reporters: ['default'],
  },
});
