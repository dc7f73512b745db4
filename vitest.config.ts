import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/**/*.slow.test.ts', 'node_modules/**'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Four workers on two cores: most files wait on servers, child processes and timers rather than compute.
    maxWorkers: 4,
    // Files share their worker's process (no fresh module graph per file): content, the lexicon and the intent
    // model load once per worker, not once per file. Every test starts its own bot on its own SQLite file, and nock
    // is cleaned after each test (test/helpers/nock.ts), so nothing a test depends on is shared.
    isolate: false,
  },
});
