import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  startTimelineSession,
  type TimelineSession,
} from '../../../../src/islands/token-timeline/timeline-session.ts';
import type { TimelineState } from '../../../../src/islands/token-timeline/token-timeline.ts';
import { createSandbox, type Sandbox } from '../../../../src/sandbox/sandbox.ts';

// The session against the real sandbox's handle(), both on one frozen clock: every second of the
// run is a tick the test makes, so the timeline is exact.
const origin = 'http://localhost:4321';
let time = Date.UTC(2030, 0, 1);
let sandbox: Sandbox;

beforeEach(async () => {
  time = Date.UTC(2030, 0, 1);
  sandbox = await createSandbox({ issuer: origin, clock: { now: () => time } });
});
afterEach(async () => {
  await sandbox.close();
});

function run(lifetimeSeconds: number) {
  let state: TimelineState | undefined;
  let tick: (() => void) | undefined;
  const session: TimelineSession = startTimelineSession({
    lifetimeSeconds,
    onChange: (next) => (state = next),
    // Relative URLs, as the browser sends them, resolved against the sandbox's origin.
    fetch: (input, init) => sandbox.handle(new Request(new URL(input, origin), init)),
    now: () => time,
    every: (callback, ms) => {
      expect(ms).toBe(1000);
      tick = callback;
      return () => (tick = undefined);
    },
  });
  return {
    session,
    state: () => state!,
    /** Moves the clock one second and lets the session make its call. */
    async second() {
      time += 1000;
      tick?.();
      await session.idle();
    },
  };
}

describe('a timeline session against the sandbox', () => {
  it('shows a proactive refresh, a recovered revocation and a clock skew, with no failed call', async () => {
    // 10 s tokens: the margin is min(60 s, 10 s / 2) = 5 s, so each token is replaced 5 s after it was requested.
    const { session, state, second } = run(10);
    await session.idle();
    for (let s = 1; s <= 6; s++) await second();
    const startedAt = state().startedAt;
    expect(state().marks.filter((mark) => mark.kind === 'proactive-refresh')).toEqual([
      { at: startedAt + 5_000, kind: 'proactive-refresh', token: 1 },
    ]);
    expect(state().entries.map((entry) => entry.text)).toContain(
      'Got token 2: valid for 10 s, refresh due in 5 s.',
    );

    await session.revokeCurrentToken();
    await second();
    const texts = state().entries.map((entry) => entry.text);
    expect(texts).toContain(
      'You revoked token 2 (POST /oauth/revoke → 200). The client does not know yet: its next call will be refused.',
    );
    expect(texts.at(-1)).toBe('Call 8: GET /api/v1/reports recovered: 200 OK after one retry with token 3.');

    session.skewClock(90_000);
    await second();
    expect(state().entries.map((entry) => entry.text)).toContain(
      "Token 3 has expired by the client's clock, because the client's clock is 90 s ahead: requesting token 4.",
    );
    for (let s = 1; s <= 10; s++) await second();

    const calls = state().calls;
    expect(calls).toHaveLength(19);
    expect(calls.filter((call) => call.status !== 200)).toEqual([]);
    expect(calls.filter((call) => call.retried).map((call) => call.number)).toEqual([8]);
    // Token 1 at 0 s, 2 at 5 s (proactive), 3 at 7 s (2 was revoked), 4 at 8 s (skew), 5 at 13 s and 6 at 18 s (proactive).
    expect(state().tokens.map((token) => token.issuedAt - startedAt)).toEqual([
      0, 5_000, 7_000, 8_000, 13_000, 18_000,
    ]);
    expect(
      state()
        .marks.filter((mark) => mark.kind === 'proactive-refresh')
        .map((mark) => [mark.at - startedAt, mark.token]),
    ).toEqual([
      [5_000, 1],
      [13_000, 4],
      [18_000, 5],
    ]);
    // Only the revoked token was refused: every other one was replaced before it expired.
    expect(
      state()
        .marks.filter((mark) => mark.kind === 'refused')
        .map((mark) => mark.token),
    ).toEqual([2]);

    session.stop();
    await second();
    expect(state().running).toBe(false);
    expect(state().calls).toHaveLength(19);
    expect(state().entries.at(-1)!.text).toBe('Stopped. No more calls.');
  });

  it('stops with the reason when registration is refused', async () => {
    const { session, state } = run(2);
    await session.idle();
    expect(state().running).toBe(false);
    expect(state().entries.at(-1)!.text).toMatch(
      /^Stopped: The registration was refused \(HTTP 400 invalid_client_metadata: access_token_lifetime must/,
    );
  });
});
