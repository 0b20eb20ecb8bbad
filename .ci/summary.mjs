// Prints "N passed, M failed" summed over every vitest and Playwright JSON report of the run, says
// which steps did not run, names the tests skipped because a toolchain is missing, and exits
// non-zero when the test command failed.
//
// A test may be skipped only where the toolchain it needs is really missing: such a test carries
// the reason in its name, "(skipped: dotnet not found)" (tests/support/sample-toolchains.ts,
// describeWhereFound). Those are listed by name above the last line; any other skipped, pending
// or todo test counts as failing.
// Failed tests are named with the first line of their error just above the last line, so the tail
// of a CI log is enough to know what broke.
// Usage: node .ci/summary.mjs <exit status of the test command>
import { existsSync, readFileSync } from 'node:fs';
import { stripVTControlCharacters } from 'node:util';

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

/** Failed tests: "runner: file › title: start of the error". */
const failures = [];
/**
 * The start of an error message on one line: its first four non-empty lines (Playwright's first
 * line is only "expect(locator).toBeVisible() failed"; the locator and values follow), without
 * colour codes, at most 400 characters.
 */
function errorStart(message) {
  const plain = stripVTControlCharacters(String(message ?? ''));
  const lines = plain
    .split('\n')
    .map((text) => text.trim())
    .filter((text) => text !== '' && !text.startsWith('at '));
  return (lines.slice(0, 4).join(' / ') || '(no message)').slice(0, 400);
}
/** Every failed test of a Playwright JSON report, walking its nested suites. */
function playwrightFailures(suites, file, into) {
  for (const suite of suites ?? []) {
    const here = suite.file ?? file;
    for (const spec of suite.specs ?? [])
      for (const test of spec.tests ?? []) {
        if (test.status !== 'unexpected') continue;
        const last = test.results?.at(-1);
        const error = last?.error?.message ?? last?.errors?.[0]?.message ?? last?.status;
        into.push(`${here}:${spec.line} › ${spec.title}: ${errorStart(error)}`);
      }
    playwrightFailures(suite.suites, here, into);
  }
}

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
    for (const file of results.testResults ?? []) {
      const path = String(file.name ?? '').replace(`${process.cwd()}/`, '');
      // A file that failed to load (or failed in a hook) has no failed test to name.
      if (file.status === 'failed' && !(file.assertionResults ?? []).some((test) => test.status === 'failed'))
        failures.push(`${report.name}: ${path}: ${errorStart(file.message)}`);
      for (const test of file.assertionResults ?? []) {
        if (test.status === 'failed')
          failures.push(
            `${report.name}: ${path} › ${[...(test.ancestorTitles ?? []), test.title].join(' › ')}: ${errorStart(test.failureMessages?.[0])}`,
          );
        if (!['skipped', 'pending', 'todo'].includes(test.status)) continue;
        const reason = toolchainSkip.exec(test.fullName)?.[1];
        const name = [...(test.ancestorTitles ?? []), test.title].join(' › ').replace(toolchainSkip, '');
        if (reason)
          skippedByReason.set(reason, [...(skippedByReason.get(reason) ?? []), name.replace(/ +/g, ' ')]);
        else skipped += 1;
      }
    }
    if (skipped) {
      console.log(
        `summary: ${skipped} ${report.name} were skipped with no missing toolchain named; skipping counts as failing here`,
      );
      failed += skipped;
    }
  } else {
    const { expected = 0, unexpected = 0, flaky = 0, skipped = 0 } = results.stats ?? {};
    const found = [];
    playwrightFailures(results.suites, undefined, found);
    failures.push(...found.map((line) => `${report.name}: ${line}`));
    // Errors outside any test (a global setup, a web server that did not start).
    for (const error of results.errors ?? []) failures.push(`${report.name}: ${errorStart(error.message)}`);
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
if (failures.length > 0) {
  console.log(`summary: failed (${failures.length}):`);
  for (const failure of failures) console.log(`summary:   ${failure}`);
}
if (notRun.length > 0) console.log(`summary: did not run: ${notRun.join('; ')}`);
if (status !== 0 && failed === 0) {
  console.log('summary: the test command failed outside any test (type check, build or start-up); see above');
  failed = 1;
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(status !== 0 || failed > 0 ? 1 : 0);
