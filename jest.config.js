import { availableParallelism } from 'node:os';

/** Jest in native ESM mode (run with NODE_OPTIONS=--experimental-vm-modules, see scripts/test.sh). */
export default {
  preset: 'ts-jest/presets/default-esm',
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true }] },
  testTimeout: 60000,
  // Jest's default on a 2-core machine is one worker. Much of a test's time is spent waiting on child
  // processes (moto, the runner scripts and their fakes, the bundles), and every worker has its own moto
  // (test/helpers/emulator.ts), so four files at a time are safe and keep both cores busy
  // (docs/benchmarks.md, "The test suite"); a machine with more cores gets a worker per core.
  maxWorkers: Math.max(4, availableParallelism()),
  // Coverage (scripts/test.sh turns it on for the full run): V8's own, of every source file, so a file no
  // test loads counts as uncovered. Code run in child processes (the bundles, runner scripts) is not seen.
  coverageProvider: 'v8',
  collectCoverageFrom: ['src/**/*.ts'],
  coverageDirectory: '.standby/coverage',
  coverageReporters: ['json-summary', 'text-summary'],
  // About a point under the figures measured when coverage was introduced (lines 96.5%, branches 84.5%,
  // functions 96.7%), so they can only ratchet up: raise them when the figures rise.
  coverageThreshold: { global: { lines: 95, statements: 95, branches: 83, functions: 95 } },
};
