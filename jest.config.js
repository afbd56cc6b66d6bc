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
  // Coverage (scripts/test.sh turns it on for the full run): Istanbul's, instrumenting our own sources as
  // they are transformed, of every source file, so a file no test loads counts as uncovered. Code run in
  // child processes (the bundles, runner scripts) is not seen. Not V8's: its precise coverage makes every
  // function in a worker count its calls (Jest, the AWS SDK, not just src/): test/unit in one process took
  // 26.6 s with it, 15.0 s with Istanbul, 10.9 s with none (docs/benchmarks.md, "The test suite").
  coverageProvider: 'babel',
  collectCoverageFrom: ['src/**/*.ts'],
  coverageDirectory: '.standby/coverage',
  coverageReporters: ['json-summary', 'text-summary'],
  // About half a point under the figures Istanbul measured when it replaced V8 coverage (lines 93.99%,
  // statements 92.31%, branches 81.1%, functions 94.82%), so they can only ratchet up: raise them when the
  // figures rise. (V8 counted the same tests as lines 97.29%, branches 86.23%, functions 96.97%: it counts
  // source ranges, Istanbul counts statements and each arm of a branch.)
  coverageThreshold: { global: { lines: 93.5, statements: 91.8, branches: 80.6, functions: 94.3 } },
};
