import { describe, expect, it } from 'vitest';
import {
  applyTokenEvent,
  axisPercent,
  axisTicks,
  chartGlyphs,
  currentToken,
  describeAxis,
  groupEntries,
  maxEntries,
  recordCall,
  recordRevocation,
  recordSkew,
  startTimeline,
  stopTimeline,
  timelineWindow,
  type TimelineState,
} from '../../../../src/islands/token-timeline/token-timeline.ts';

const t0 = 1_000_000;

/**
 * A timeline that has token 1, requested at 0 s for 10 s and received at 0.05 s. The client's
 * margin is min(60 s, half the lifetime) = 5 s, so its refresh is due at 5 s.
 */
function withToken(): TimelineState {
  let state = startTimeline(t0, 10);
  state = applyTokenEvent(state, { type: 'token-requested', at: t0, reason: 'no-token' }, t0);
  return applyTokenEvent(
    state,
    { type: 'token-issued', at: t0 + 50, token: 1, expiresAt: t0 + 10_000, refreshAt: t0 + 5_000 },
    t0 + 50,
  );
}

const texts = (state: TimelineState) => state.entries.map((entry) => entry.text);

describe('the timeline model', () => {
  it('records a token’s life and says it in words', () => {
    const state = withToken();
    expect(currentToken(state)).toMatchObject({
      number: 1,
      issuedAt: t0 + 50,
      refreshAt: t0 + 5_000,
      expiresAt: t0 + 10_000,
    });
    expect(texts(state)).toEqual([
      'Started. Registering a sandbox client whose tokens live 10 s.',
      'Requesting token 1: the client has none.',
      // 9.95 s and 4.95 s, to the tenth.
      'Got token 1: valid for 10 s, refresh due in 5 s.',
    ]);
  });

  it('marks a proactive refresh and ends the old token when the new one arrives', () => {
    let state = withToken();
    state = applyTokenEvent(
      state,
      { type: 'token-requested', at: t0 + 5_000, reason: 'proactive-refresh' },
      t0 + 5_000,
    );
    state = applyTokenEvent(
      state,
      { type: 'token-issued', at: t0 + 5_040, token: 2, expiresAt: t0 + 15_000, refreshAt: t0 + 10_000 },
      t0 + 5_040,
    );
    expect(state.marks).toEqual([{ at: t0 + 5_000, kind: 'proactive-refresh', token: 1 }]);
    expect(state.tokens.map((token) => [token.number, token.endedAt])).toEqual([
      [1, t0 + 5_040],
      [2, undefined],
    ]);
    expect(texts(state)).toContain(
      'Proactive refresh: token 1 is inside its safety margin (the last 5 s of its life), so the client requests token 2 before it expires.',
    );
  });

  it('tells a revocation, the refusal, and the recovered call apart', () => {
    let state = withToken();
    state = recordRevocation(state, t0 + 3_000, 1, 200);
    state = applyTokenEvent(
      state,
      { type: 'retrying-after-invalid-token', at: t0 + 4_000, token: 1 },
      t0 + 4_000,
    );
    state = applyTokenEvent(
      state,
      { type: 'token-requested', at: t0 + 4_000, reason: 'rejected' },
      t0 + 4_000,
    );
    state = applyTokenEvent(
      state,
      { type: 'token-issued', at: t0 + 4_050, token: 2, expiresAt: t0 + 14_000, refreshAt: t0 + 9_000 },
      t0 + 4_050,
    );
    state = recordCall(state, t0 + 4_060, 200, true);
    expect(state.tokens[0]).toMatchObject({
      revokedAt: t0 + 3_000,
      refusedAt: t0 + 4_000,
      endedAt: t0 + 4_000,
    });
    expect(state.marks.map((mark) => mark.kind)).toEqual(['revocation', 'refused']);
    expect(texts(state).slice(-5)).toEqual([
      'You revoked token 1 (POST /oauth/revoke → 200). The client does not know yet: its next call will be refused.',
      'The API refused token 1 (401 invalid_token). The client drops it and retries the call once with a new token.',
      'Requesting token 2 to replace the refused one.',
      'Got token 2: valid for 10 s, refresh due in 5 s.',
      'Call 1: GET /api/v1/reports recovered: 200 OK after one retry with token 2.',
    ]);
  });

  it('words a refusal in a token’s last second like any other refusal', () => {
    const state = applyTokenEvent(
      withToken(),
      { type: 'retrying-after-invalid-token', at: t0 + 9_400, token: 1 },
      t0 + 9_400,
    );
    expect(state.tokens[0]).toMatchObject({ refusedAt: t0 + 9_400, endedAt: t0 + 9_400 });
    expect(texts(state).at(-1)).toBe(
      'The API refused token 1 (401 invalid_token). The client drops it and retries the call once with a new token.',
    );
  });

  it('converts the skewed client clock back to the page clock', () => {
    let state = recordSkew(withToken(), t0 + 2_000, 90_000);
    expect(state.skewMs).toBe(90_000);
    state = applyTokenEvent(
      state,
      { type: 'token-requested', at: t0 + 93_000, reason: 'expired' },
      t0 + 3_000,
    );
    // The client counts on its own clock: expiresAt 10 s and refreshAt 5 s after its (skewed) send time.
    state = applyTokenEvent(
      state,
      { type: 'token-issued', at: t0 + 93_000, token: 2, expiresAt: t0 + 103_000, refreshAt: t0 + 98_000 },
      t0 + 3_000,
    );
    expect(currentToken(state)).toMatchObject({
      number: 2,
      issuedAt: t0 + 3_000,
      expiresAt: t0 + 13_000,
      refreshAt: t0 + 8_000,
    });
    expect(texts(state)).toContain(
      "You jumped the client's wall clock 90 s ahead, as a clock correction would (now 90 s ahead of the server's). " +
        'A client that timed its token by a monotonic clock would not notice.',
    );
    expect(texts(state)).toContain(
      "Token 1 has expired by the client's clock, because the client's clock is 90 s ahead: requesting token 2.",
    );
  });

  it.each([
    [200, false, undefined, 'Call 1: GET /api/v1/reports → 200 OK with token 1.'],
    [401, true, undefined, 'Call 1: GET /api/v1/reports HTTP 401 after one retry with token 1.'],
    [503, false, undefined, 'Call 1: GET /api/v1/reports → HTTP 503 with token 1.'],
    [undefined, false, 'invalid_client', 'Call 1 failed: invalid_client.'],
  ])('words a call answered %s (retried: %s)', (status, retried, failure, text) => {
    expect(texts(recordCall(withToken(), t0 + 1_000, status, retried, failure)).at(-1)).toBe(text);
  });

  it.each([
    [
      { type: 'backing-off', at: 0, attempt: 1, delayMs: 1_250, cause: 'rate-limited', status: 429 } as const,
      'The token endpoint answered HTTP 429: waiting 1.3 s before attempt 2.',
    ],
    [
      {
        type: 'backing-off',
        at: 0,
        attempt: 2,
        delayMs: 500,
        cause: 'network-error',
        status: undefined,
      } as const,
      'The token endpoint could not be reached: waiting 0.5 s before attempt 3.',
    ],
    [
      { type: 'token-request-failed', at: 0, code: 'invalid_client' } as const,
      'The token request failed: invalid_client.',
    ],
  ])('words %j', (event, text) => {
    expect(texts(applyTokenEvent(withToken(), event, t0 + 1_000)).at(-1)).toBe(text);
  });

  it('keeps the newest entries and counts them all', () => {
    let state = withToken();
    for (let i = 0; i < maxEntries + 10; i++) state = recordCall(state, t0 + i, 200, false);
    expect(state.entries).toHaveLength(maxEntries);
    expect(state.entryCount).toBe(maxEntries + 13);
    expect(state.entries.at(-1)!.id).toBe(state.entryCount);
  });

  it('stops once', () => {
    const stopped = stopTimeline(withToken(), t0 + 5_000);
    expect(stopped.running).toBe(false);
    expect(stopTimeline(stopped, t0 + 6_000)).toBe(stopped);
  });

  it('reports a failed revocation without marking the token', () => {
    const state = recordRevocation(withToken(), t0 + 1_000, 1, 401);
    expect(state.marks).toEqual([]);
    expect(texts(state).at(-1)).toBe('Revoking token 1 failed: HTTP 401.');
  });
});

describe('the axis', () => {
  it.each([
    [t0 + 5_000, t0, t0 + 30_000],
    [t0 + 30_000, t0, t0 + 30_000],
    [t0 + 45_000, t0 + 15_000, t0 + 45_000],
  ])('at %d shows %d to %d', (now, from, to) => {
    expect(timelineWindow({ startedAt: t0 }, now, 30_000)).toEqual({ from, to });
  });

  it.each([
    [t0, 0],
    [t0 + 15_000, 50],
    [t0 + 30_000, 100],
    [t0 - 1_000, 0],
    [t0 + 60_000, 100],
  ])('places %d at %d %%', (at, percent) => {
    expect(axisPercent({ from: t0, to: t0 + 30_000 }, at)).toBe(percent);
  });

  it('labels ticks in seconds since Start', () => {
    expect(
      axisTicks({ startedAt: t0 }, { from: t0 + 12_000, to: t0 + 42_000 }, 10_000).map((tick) => tick.label),
    ).toEqual(['20 s', '30 s', '40 s']);
  });

  it('describes what it shows in one sentence', () => {
    let state = withToken();
    state = recordCall(state, t0 + 1_000, 200, false);
    state = recordCall(state, t0 + 2_000, 200, true);
    expect(describeAxis(state, { from: t0, to: t0 + 30_000 })).toBe(
      'Time axis from 0 s to 30 s: 1 token, 0 proactive refreshes, 2 calls, 1 recovered after a retry. The list below describes each event.',
    );
  });
});

describe('the list', () => {
  it('folds each run of routine calls into one line and keeps every other entry', () => {
    let state = withToken();
    for (let i = 1; i <= 12; i++) state = recordCall(state, t0 + i * 1_000, 200, false);
    state = recordRevocation(state, t0 + 12_500, 1, 200);
    state = recordCall(state, t0 + 13_000, 200, true);
    state = recordCall(state, t0 + 14_000, 200, false);
    state = recordCall(state, t0 + 15_000, 503, false);
    const items = groupEntries(state.entries);
    expect(
      items.map((item) => (item.type === 'routine' ? `[${item.summary}]` : item.entry.text.slice(0, 24))),
    ).toEqual([
      'Started. Registering a s',
      'Requesting token 1: the ',
      'Got token 1: valid for 1',
      '[12 × GET /api/v1/reports → 200 OK (calls 1–12)]',
      'You revoked token 1 (POS',
      'Call 13: GET /api/v1/rep',
      // A run of one stays a line of its own.
      'Call 14: GET /api/v1/rep',
      'Call 15: GET /api/v1/rep',
    ]);
    const run = items[3]!;
    expect(run.type === 'routine' && run.entries.map((entry) => entry.routineCall)).toEqual([
      1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12,
    ]);
  });
});

describe('the glyphs of the events lane', () => {
  const window = { from: t0, to: t0 + 30_000 };

  it('never puts two glyphs closer than the gap in one row', () => {
    // A revocation, its refusal and the recovered call within a second, then failures every second.
    let state = withToken();
    state = recordRevocation(state, t0 + 6_000, 1, 200);
    state = applyTokenEvent(state, { type: 'retrying-after-invalid-token', at: 0, token: 1 }, t0 + 6_400);
    state = recordCall(state, t0 + 6_500, 200, true);
    state = recordSkew(state, t0 + 7_000, 90_000);
    for (let i = 10; i < 20; i++) state = recordCall(state, t0 + i * 1_000, 503, false);
    const glyphs = chartGlyphs(state, window, 2_000, 2);
    for (const row of [0, 1]) {
      const times = glyphs.filter((glyph) => glyph.row === row).map((glyph) => glyph.at);
      for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(2_000);
    }
    expect(glyphs.every((glyph) => glyph.row < 2)).toBe(true);
    expect(glyphs.slice(0, 2).map((glyph) => [glyph.kind, glyph.row])).toEqual([
      ['revocation', 0],
      ['refused', 1],
    ]);
    expect(glyphs.filter((glyph) => glyph.kind === 'failed-call').length).toBeGreaterThanOrEqual(5);
  });

  it('shows routine calls as ticks only, and keeps a glyph in its row as the window slides', () => {
    let state = withToken();
    for (let i = 1; i <= 5; i++) state = recordCall(state, t0 + i * 1_000, 200, false);
    state = recordCall(state, t0 + 6_000, 401, true);
    const early = chartGlyphs(state, window, 2_000, 2);
    expect(early).toEqual([{ at: t0 + 6_000, kind: 'failed-call', row: 0 }]);
    expect(chartGlyphs(state, { from: t0 + 5_000, to: t0 + 35_000 }, 2_000, 2)).toEqual(early);
  });
});
