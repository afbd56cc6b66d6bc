// Prints Jest's totals as the plain line CI reads, last: `N passed, N failed[, N skipped]`; before it, the
// coverage figures when the run measured them. Arguments: Jest's JSON results, Jest's exit status, and
// the coverage summary (json-summary reporter).
import { existsSync, readFileSync } from 'node:fs';

const [file, jestStatus = '0', coverageFile] = process.argv.slice(2);
let results;
try {
  results = JSON.parse(readFileSync(file, 'utf8'));
} catch {
  console.log('0 passed, 1 failed');
  console.error(`test-summary: no Jest results in ${file} (Jest did not finish)`);
  process.exit(0);
}
if (coverageFile && existsSync(coverageFile)) {
  const { total } = JSON.parse(readFileSync(coverageFile, 'utf8'));
  const figure = (name) => `${name} ${total[name].pct}%`;
  console.log(`coverage: ${['lines', 'statements', 'branches', 'functions'].map(figure).join(', ')}`);
}
// A suite that fails to load has no test results; count it as a failure so it cannot hide.
const brokenSuites = results.testResults.filter(
  (suite) => suite.status === 'failed' && suite.assertionResults.length === 0,
).length;
let failed = results.numFailedTests + brokenSuites;
// Jest failing with every test passed (a coverage threshold missed, a crash after the tests) is a failure.
if (failed === 0 && jestStatus !== '0') {
  console.error(`test-summary: Jest exited with status ${jestStatus} although every test passed (see above)`);
  failed = 1;
}
const skipped = results.numPendingTests + results.numTodoTests;
const line = `${results.numPassedTests} passed, ${failed} failed`;
console.log(skipped > 0 ? `${line}, ${skipped} skipped` : line);
