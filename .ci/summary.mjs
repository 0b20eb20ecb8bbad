// Prints "N passed, M failed" summed over every vitest and Playwright JSON report of the run, says
// which steps did not run, and exits non-zero when the test command failed.
// Usage: node .ci/summary.mjs <exit status of the test command>
import { existsSync, readFileSync } from 'node:fs';

const status = Number(process.argv[2] ?? 1);
let passed = 0;
let failed = 0;

function read(path) {
  return existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')) : undefined;
}

// Every report the test command writes, in the order it runs them.
const reports = [
  { name: 'unit and integration tests (vitest)', path: 'test-results/unit-results.json', kind: 'vitest' },
  { name: 'browser tests (Playwright)', path: 'test-results/e2e-results.json', kind: 'playwright' },
  {
    name: 'team-profile tests (vitest)',
    path: 'test-results/team-profile-unit-results.json',
    kind: 'vitest',
  },
  {
    name: 'team-profile browser tests (Playwright)',
    path: 'test-results/team-profile-e2e-results.json',
    kind: 'playwright',
  },
];

const notRun = [];
for (const report of reports) {
  const results = read(report.path);
  if (!results) {
    notRun.push(report.name);
    continue;
  }
  if (report.kind === 'vitest') {
    passed += results.numPassedTests;
    failed += results.numFailedTests;
    const skipped = (results.numPendingTests ?? 0) + (results.numTodoTests ?? 0);
    if (skipped) {
      console.log(`summary: ${skipped} ${report.name} were skipped; skipping counts as failing here`);
      failed += skipped;
    }
  } else {
    const { expected = 0, unexpected = 0, flaky = 0, skipped = 0 } = results.stats ?? {};
    passed += expected + flaky;
    failed += unexpected + skipped;
    if (skipped)
      console.log(`summary: ${skipped} ${report.name} were skipped; skipping counts as failing here`);
  }
}

if (notRun.length > 0) console.log(`summary: did not run: ${notRun.join('; ')}`);
if (status !== 0 && failed === 0) {
  console.log('summary: the test command failed outside any test (type check, build or start-up); see above');
  failed = 1;
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(status !== 0 || failed > 0 ? 1 : 0);
