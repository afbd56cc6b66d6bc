// Prints Jest's totals as the plain line CI reads: `N passed, N failed[, N skipped]`.
import { readFileSync } from 'node:fs';

const file = process.argv[2];
let results;
try {
  results = JSON.parse(readFileSync(file, 'utf8'));
} catch {
  console.log('0 passed, 1 failed');
  console.error(`test-summary: no Jest results in ${file} (Jest did not finish)`);
  process.exit(0);
}
// A suite that fails to load has no test results; count it as a failure so it cannot hide.
const brokenSuites = results.testResults.filter(
  (suite) => suite.status === 'failed' && suite.assertionResults.length === 0,
).length;
const skipped = results.numPendingTests + results.numTodoTests;
const line = `${results.numPassedTests} passed, ${results.numFailedTests + brokenSuites} failed`;
console.log(skipped > 0 ? `${line}, ${skipped} skipped` : line);
