// Prints "N passed, M failed" summed over every vitest and Playwright JSON report of the run, says
// which steps did not run, names the tests skipped because a toolchain is missing, and exits
// non-zero when the test command failed.
//
// A test may be skipped only where the toolchain it needs is really missing: such a test carries
// the reason in its name, "(skipped: dotnet not found)" (tests/support/sample-toolchains.ts,
// describeWhereFound). Those are listed by name above the last line; any other skipped, pending
// or todo test counts as failing.
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

/** How a test skipped for a missing toolchain names itself; the reason is what follows. */
const toolchainSkip = /\(skipped: ([^)]+)\)/;
/** Tests skipped for a missing toolchain: their full names, by reason. */
const skippedByReason = new Map();

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
    let skipped = 0;
    for (const file of results.testResults ?? [])
      for (const test of file.assertionResults ?? []) {
        if (!['skipped', 'pending', 'todo'].includes(test.status)) continue;
        const reason = toolchainSkip.exec(test.fullName)?.[1];
        const name = [...(test.ancestorTitles ?? []), test.title].join(' › ').replace(toolchainSkip, '');
        if (reason)
          skippedByReason.set(reason, [...(skippedByReason.get(reason) ?? []), name.replace(/ +/g, ' ')]);
        else skipped += 1;
      }
    if (skipped) {
      console.log(
        `summary: ${skipped} ${report.name} were skipped with no missing toolchain named; skipping counts as failing here`,
      );
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

const toolchainSkips = [...skippedByReason.values()].flat().length;
if (toolchainSkips > 0) {
  console.log(
    `summary: ${toolchainSkips} skipped (not counted as passed or failed) because a toolchain is missing on this machine:`,
  );
  for (const [reason, names] of skippedByReason) {
    console.log(`summary:   ${reason} (${names.length}):`);
    for (const name of names) console.log(`summary:     ${name}`);
  }
}
if (notRun.length > 0) console.log(`summary: did not run: ${notRun.join('; ')}`);
if (status !== 0 && failed === 0) {
  console.log('summary: the test command failed outside any test (type check, build or start-up); see above');
  failed = 1;
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(status !== 0 || failed > 0 ? 1 : 0);
