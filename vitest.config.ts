import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

// Three projects: the Node core and shells (unit + integration over real pty/loopback), the renderer in
// happy-dom, and end-to-end runs in Debian's Chromium through the browser host.
export default defineConfig({
  test: {
    reporters: ['default', './test/helpers/summary-reporter.ts'],
    projects: [
      {
        test: {
          name: 'node',
          environment: 'node',
          include: ['test/**/*.test.ts'],
          exclude: ['test/renderer/**', 'test/e2e/**'],
          // electron-store is ESM that requires electron unless inlined (platform notes).
          server: { deps: { inline: ['electron-store'] } },
          testTimeout: 30_000,
          hookTimeout: 30_000,
        },
      },
      {
        plugins: [react()],
        test: {
          name: 'renderer',
          environment: 'happy-dom',
          include: ['test/renderer/**/*.test.{ts,tsx}'],
        },
      },
      {
        test: {
          name: 'e2e',
          environment: 'node',
          include: ['test/e2e/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
