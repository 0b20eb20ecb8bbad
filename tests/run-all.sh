#!/usr/bin/env bash
# `npm test`: every step, then one line that sums every runner's tests ("N passed, M failed").
# A failing stage stops the stages after it; the summary names the steps that did not run.
#
# Steps that mostly wait (vitest's integration files wait on sample programs, servers and 10 s
# hangs) run beside steps that compute (checks, a build, a browser), so that both cores stay busy:
#   1. the build (the tests need it)
#   2. unit and integration tests  |  check (prettier, ESLint, astro check), then the team-profile build
#   3. browser tests               |  the team-profile tests (vitest), then its browser tests
# check writes only .astro/ (astro sync) and .cache/eslint/, which no test of step 2 reads.
# (`npm run test:team-profile` runs the team-profile steps alone, one after another.)
# A step that runs beside another keeps its output in a file, printed once both have ended, so
# their lines never interleave.
#
# The team-profile browser tests are the specs that walk the team's API end to end in a browser
# (the Reproduce buttons of the errors page and the playground); the rest of the browser tests do
# not depend on the API profile and run once, in step 3's main run. They run with one worker: the
# main run beside them already keeps both cores busy.
set -u
cd "$(dirname "$0")/.."
export ASTRO_TELEMETRY_DISABLED=1
rm -rf test-results
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT

# The team profile: another team's OpenAPI document, its site built beside dist/.
team() { API_OPENAPI=tests/fixtures/team-api/openapi.yaml SITE_DIST=.cache/team-site "$@"; }
unit_tests() { npm run test:vitest; }
browser_tests() { npm run test:e2e; }
team_build() { team npm run build; }
check_and_team_build() { timed check && timed team_build; }
check() { npm run check; }
build() { npm run build; }
team_unit_tests() { team npx vitest run --config tests/vitest.team-profile.config.ts; }
team_browser_tests() {
  team env E2E_RESULTS=team-profile-e2e-results.json \
    npx playwright test --config tests/playwright.config.ts --workers=1 errors-reproduce playground.spec
}
team_tests() { timed team_unit_tests && timed team_browser_tests; }

# Runs a step and says how long it took.
timed() {
  local started=$SECONDS
  "$1"
  local status=$?
  echo "npm test: $1 exit $status after $((SECONDS - started)) s"
  return $status
}

# Runs two steps side by side, then prints their output; fails if either failed.
beside() {
  timed "$1" >"$logs/$1" 2>&1 &
  local first=$!
  timed "$2" >"$logs/$2" 2>&1
  local second_status=$?
  wait "$first"
  local first_status=$?
  cat "$logs/$1" "$logs/$2"
  [ "$first_status" -eq 0 ] && [ "$second_status" -eq 0 ]
}

run() {
  local started=$SECONDS
  timed build || return 1
  beside unit_tests check_and_team_build || return 1
  beside browser_tests team_tests || return 1
  echo "npm test: all steps $((SECONDS - started)) s"
}
run
status=$?
node .ci/summary.mjs "$status"
