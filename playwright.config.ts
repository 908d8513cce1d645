import { defineConfig } from '@playwright/test';

/** The product runs exactly as `npm start` runs it, on its own port and a fresh data folder. */
const PORT = Number(process.env.E2E_PORT ?? 3100);
const baseURL = `http://localhost:${PORT}`;

export default defineConfig({
  testDir: 'e2e',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: [['list'], ['json', { outputFile: 'test-results/e2e.json' }]],
  use: {
    baseURL,
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    },
  },
  projects: [
    { name: 'api', testDir: 'e2e/api' },
    { name: 'ui', testDir: 'e2e/ui', use: { browserName: 'chromium' } },
  ],
  webServer: {
    command: 'node_modules/.bin/tsx infra/test/e2e-server.ts',
    url: `${baseURL}/sign-in`,
    timeout: 300_000,
    reuseExistingServer: false,
    stdout: 'pipe',
    stderr: 'pipe',
    gracefulShutdown: { signal: 'SIGTERM', timeout: 20_000 },
    env: { PORT: String(PORT), APP_URL: baseURL, CAUSEWAY_DATA_DIR: '.data/e2e', DEMO_PASSWORD: 'causeway-demo', LOG_LEVEL: 'warn', API_RATE_LIMIT_PER_MINUTE: '40', WEBHOOK_ALLOW_LOCAL_URLS: 'true' },
  },
});
