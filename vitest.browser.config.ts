import { defineConfig } from 'vitest/config';

// The browser test: the real server in-process on a seeded embedded database, driven by Debian's
// Chromium through playwright-core. `npm run test:browser` builds the web app first.
export default defineConfig({
  test: {
    include: ['tests/browser/**/*.test.ts'],
    testTimeout: 180_000,
    hookTimeout: 300_000,
    pool: 'forks',
    // Each file seeds its own city and drives its own Chromium: one at a time on a small machine.
    fileParallelism: false,
  },
});
