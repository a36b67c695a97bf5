import { defineConfig } from 'vitest/config';

// `npm run test:e2e`: only the end-to-end suites (LibreOffice recalculation and rendering).
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 300_000,
    maxWorkers: 2,
    // dist/ for the Chromium tests, built once before the workers start (test/e2e/build-once.ts).
    globalSetup: ['test/e2e/build-once.ts'],
    reporters: ['default'],
  },
});
