#!/usr/bin/env bash
# `npm test`: every step in order, then one line that sums every runner's tests ("N passed, M failed").
# A failing step stops the steps after it; the summary names the ones that did not run.
set -u
cd "$(dirname "$0")/.."
export ASTRO_TELEMETRY_DISABLED=1
rm -rf test-results
npm run check && npm run build && npm run test:vitest && npm run test:e2e && npm run test:team-profile
status=$?
node .ci/summary.mjs "$status"
