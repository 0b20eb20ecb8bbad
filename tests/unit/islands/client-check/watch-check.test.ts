import { describe, expect, it } from 'vitest';
import type { ClientCheck } from '../../../../src/lib/sandbox-contract/checks.ts';
import {
  parseCheckEvent,
  watchCheck,
  type WatchMode,
} from '../../../../src/islands/client-check/watch-check.ts';
import { done, halfway, started } from './recorded-checks.ts';

const event = (check: ClientCheck) => `event: check\ndata: ${JSON.stringify(check)}\n\n`;

/** A text/event-stream answer that sends `chunks`, then ends (or breaks, when `breakAfter` is set). */
function streamAnswer(chunks: string[], breakAfter = false): Response {
  const encoder = new TextEncoder();
  const queue = [...chunks];
  // Pulled one chunk at a time, as a network delivers them; a break comes after the last one.
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      const chunk = queue.shift();
      if (chunk !== undefined) controller.enqueue(encoder.encode(chunk));
      else if (breakAfter) controller.error(new TypeError('network error'));
      else controller.close();
    },
  });
  return new Response(body, { headers: { 'content-type': 'text/event-stream' } });
}

const json = (check: ClientCheck) =>
  new Response(JSON.stringify(check), { headers: { 'content-type': 'application/json' } });

/** Runs a watch over scripted answers; returns what the page was told. */
async function watch(answers: (() => Response | Promise<Response>)[], token?: string) {
  const requests: { url: string; accept: string; authorization: string | undefined }[] = [];
  const checks: ClientCheck[] = [];
  const modes: WatchMode[] = [];
  const problems: (string | undefined)[] = [];
  const end = await watchCheck({
    clientId: 'client-1',
    checkId: started.id,
    ...(token === undefined ? {} : { registrationAccessToken: token }),
    signal: new AbortController().signal,
    onCheck: (check) => checks.push(check),
    onMode: (mode) => modes.push(mode),
    onProblem: (problem) => problems.push(problem),
    fetch: async (url, init) => {
      const headers = new Headers(init.headers);
      requests.push({
        url,
        accept: headers.get('accept') ?? '',
        authorization: headers.get('authorization') ?? undefined,
      });
      const next = answers.shift();
      if (!next) throw new Error('no more answers scripted');
      return next();
    },
    sleep: async () => {},
  });
  return { requests, checks, modes, problems, end };
}

describe('following a check', () => {
  it('reads the live stream until the check is done, with no credentials', async () => {
    const seen = await watch([
      () =>
        streamAnswer([event(started), event(halfway).slice(0, 40), event(halfway).slice(40), event(done)]),
    ]);
    expect(seen.requests).toEqual([
      {
        url: `/oauth/clients/client-1/checks/${started.id}`,
        accept: 'text/event-stream',
        authorization: undefined,
      },
    ]);
    expect(seen.checks.map((check) => check.status)).toEqual(['running', 'running', 'done']);
    expect(seen.checks[1]!.criteria).toHaveLength(2);
    expect(seen.modes).toEqual(['stream', 'done']);
    expect(seen.end).toBe('done');
  });

  it('skips a malformed event and goes on', async () => {
    const seen = await watch([
      () => streamAnswer(['data: {"id":\n\n', 'data: {"status":"weird"}\n\n', event(done)]),
    ]);
    expect(seen.checks).toEqual([done]);
  });

  it('falls back to polling when the stream breaks, until the check is done', async () => {
    const seen = await watch([
      () => streamAnswer([event(started)], true),
      () => json(halfway),
      () => json(done),
    ]);
    expect(seen.requests.map((request) => request.accept)).toEqual([
      'text/event-stream',
      'application/json',
      'application/json',
    ]);
    expect(seen.checks.map((check) => check.criteria.length)).toEqual([0, 2, 7]);
    expect(seen.modes).toEqual(['stream', 'polling', 'done']);
  });

  it('polls when the stream cannot be had (an HTML 502 from a proxy), and says so while it fails', async () => {
    const html = () =>
      new Response('<html>Bad Gateway</html>', { status: 502, headers: { 'content-type': 'text/html' } });
    const seen = await watch([html, html, () => json(done)]);
    expect(seen.problems[0]).toMatch(/HTTP 502/);
    // The message goes once a read works again.
    expect(seen.problems.at(-1)).toBeUndefined();
    expect(seen.modes).toEqual(['stream', 'polling', 'done']);
  });

  it('stops at a check the sandbox does not know', async () => {
    const missing = () =>
      new Response(JSON.stringify({ error: 'not_found' }), {
        status: 404,
        headers: { 'content-type': 'application/json' },
      });
    const seen = await watch([missing, missing]);
    expect(seen.problems).toEqual([expect.stringMatching(/no such check/)]);
    expect(seen.modes).toEqual(['stream', 'polling']);
    expect(seen.end).toBe('gone');
  });

  it('keeps trying through a network failure', async () => {
    const seen = await watch([
      () => Promise.reject(new TypeError('Failed to fetch')),
      () => Promise.reject(new TypeError('Failed to fetch')),
      () => json(done),
    ]);
    expect(seen.problems[0]).toMatch(/No answer from the sandbox/);
    expect(seen.checks).toEqual([done]);
  });

  it('sends the registration access token when it has one', async () => {
    const seen = await watch([() => streamAnswer([event(done)])], 'rat-1');
    expect(seen.requests[0]!.authorization).toBe('Bearer rat-1');
  });
});

describe('an event as a check', () => {
  it.each([
    ['not JSON', '{'],
    ['an array', '[]'],
    ['a check missing its id', JSON.stringify({ ...done, id: '' })],
  ])('%s is skipped', (_, data) => {
    expect(parseCheckEvent(data)).toBeUndefined();
  });
});
