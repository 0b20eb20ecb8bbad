// Prints "N passed, M failed" from the vitest and Playwright JSON reports, and exits non-zero
// when the test command failed. Usage: node .ci/summary.mjs <exit status of npm test>
import { existsSync, readFileSync } from 'node:fs';

const status = Number(process.argv[2] ?? 1);
let passed = 0;
let failed = 0;

function read(path) {
  return existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')) : undefined;
}

const unit = read('test-results/unit-results.json');
if (unit) {
  passed += unit.numPassedTests;
  failed += unit.numFailedTests;
  if (unit.numPendingTests || unit.numTodoTests) {
    console.log(
      `ci: ${unit.numPendingTests + unit.numTodoTests} unit tests were skipped; skipping counts as failing here`,
    );
    failed += unit.numPendingTests + unit.numTodoTests;
  }
}

const e2e = read('test-results/e2e-results.json');
if (e2e) {
  const { expected = 0, unexpected = 0, flaky = 0, skipped = 0 } = e2e.stats ?? {};
  passed += expected + flaky;
  failed += unexpected + skipped;
  if (skipped) console.log(`ci: ${skipped} browser tests were skipped; skipping counts as failing here`);
}

if (status !== 0 && failed === 0) {
  console.log('ci: the test command failed outside any test (type check, build or start-up); see above');
  failed = 1;
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(status !== 0 || failed > 0 ? 1 : 0);
