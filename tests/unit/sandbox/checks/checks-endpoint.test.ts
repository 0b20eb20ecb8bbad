import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { apiProfile } from '../../../../src/lib/api-profile.ts';
import {
  checkCriterionIds,
  checkDuration,
  checkTokenLifetimeSeconds,
  clientCheckPath,
  clientChecksPath,
  readCheck,
  sandboxPaths,
  type ClientCheck,
} from '../../../../src/lib/sandbox-contract/index.ts';
import { parseWwwAuthenticate } from '../../../../src/lib/www-authenticate.ts';
import { checkSettleMs } from '../../../../src/sandbox/checks/checks-endpoint.ts';
import { faultSchedule } from '../../../../src/sandbox/checks/grading.ts';
import { createHarness, errorOf, issuer, type Harness, type RegisteredClient } from '../harness.ts';

const { readScope } = apiProfile;

let h: Harness;
let client: RegisteredClient;
beforeEach(async () => {
  h = await createHarness();
  client = await h.register({ client_name: 'Checked', scope: readScope });
});
afterEach(() => h.close());

const bearer = (c: RegisteredClient) => `Bearer ${c.registration_access_token as string}`;
function startCheck(c: RegisteredClient, body?: unknown, headers: Record<string, string> = {}) {
  return h.call(clientChecksPath(c.client_id), {
    method: 'POST',
    headers: {
      authorization: bearer(c),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
}
async function started(c: RegisteredClient, duration?: number): Promise<ClientCheck> {
  const response = await startCheck(c, duration === undefined ? undefined : { duration });
  expect(response.status).toBe(201);
  return readCheck(await response.json(), 201);
}
async function read(c: RegisteredClient, id: string): Promise<ClientCheck> {
  const response = await h.call(clientCheckPath(c.client_id, id));
  expect(response.status).toBe(200);
  return readCheck(await response.json(), 200);
}
const api = (token: string) =>
  h.call(sandboxPaths.reports, { headers: { authorization: `Bearer ${token}` } });

describe('POST {registration_client_uri}/checks', () => {
  it('starts a check of the default duration: 201, the check, and its URL in Location', async () => {
    const response = await startCheck(client);
    expect(response.status).toBe(201);
    const check = readCheck(await response.json(), 201);
    expect(check.id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(check.status).toBe('running');
    expect(Date.parse(check.ends_at) - Date.parse(check.started_at)).toBe(checkDuration.default * 1000);
    expect(check.url).toBe(`${issuer}${clientCheckPath(client.client_id, check.id)}`);
    expect(response.headers.get('location')).toBe(check.url);
    expect(check.criteria.map((criterion) => criterion.id)).toEqual(checkCriterionIds);
    expect(check.criteria.every((criterion) => criterion.result === 'not_observed')).toBe(true);
    expect(check.faults).toEqual([]);
    expect(check.score).toBeNull();
    expect(check.ended_at).toBeUndefined();
  });

  it('takes a duration within the bounds', async () => {
    const check = await started(client, checkDuration.min);
    expect(Date.parse(check.ends_at) - Date.parse(check.started_at)).toBe(checkDuration.min * 1000);
  });

  it.each([
    ['too short', { duration: checkDuration.min - 1 }],
    ['too long', { duration: checkDuration.max + 1 }],
    ['not whole', { duration: 90.5 }],
    ['a string', { duration: '120' }],
    ['null', { duration: null }],
    ['an array body', [120]],
    ['a number body', 120],
  ])('refuses a duration that is %s: 400 invalid_request', async (_case, body) => {
    const { status, error, description } = await errorOf(await startCheck(client, body));
    expect(status).toBe(400);
    expect(error).toBe('invalid_request');
    expect(description).toMatch(/duration|JSON object/);
  });

  it('refuses a body that is not JSON', async () => {
    const { status, error } = await errorOf(await startCheck(client, '{"duration":'));
    expect([status, error]).toEqual([400, 'invalid_request']);
  });

  it('refuses a second check while one runs: 409 naming the running one', async () => {
    const first = await started(client, 60);
    const conflict = await startCheck(client);
    expect(conflict.headers.get('location')).toBe(first.url);
    const { status, description } = await errorOf(conflict);
    expect(status).toBe(409);
    expect(description).toContain(first.url);

    h.clock.advance(60_000);
    expect((await started(client, 60)).id).not.toBe(first.id);
  });

  it.each([
    ['no credentials', undefined, 401, undefined],
    ['another client’s token', 'other', 401, 'invalid_token'],
  ])('refuses %s with a Bearer challenge', async (_case, who, status, code) => {
    const other = await h.register({ scope: readScope });
    const response = await h.call(clientChecksPath(client.client_id), {
      method: 'POST',
      headers: who === undefined ? {} : { authorization: bearer(other) },
    });
    expect(response.status).toBe(status);
    const challenge = parseWwwAuthenticate(response.headers.get('www-authenticate') ?? '')![0]!;
    expect(challenge.scheme).toBe('Bearer');
    expect(challenge.params.error).toBe(code);
  });

  it('refuses another method on the collection', async () => {
    const response = await h.call(clientChecksPath(client.client_id), {
      method: 'GET',
      headers: { authorization: bearer(client) },
    });
    expect(response.status).toBe(405);
  });
});

describe('GET {registration_client_uri}/checks/{id}', () => {
  it('needs no credentials: the id is the capability', async () => {
    const check = await started(client, 60);
    expect((await read(client, check.id)).id).toBe(check.id);
  });

  it.each([
    ['an unknown id', (_c: ClientCheck) => clientCheckPath(client.client_id, 'A'.repeat(22))],
    ['a malformed id', (_c: ClientCheck) => clientCheckPath(client.client_id, 'nope')],
    ['another client’s path', (c: ClientCheck) => clientCheckPath('someone-else', c.id)],
  ])('answers 404 JSON for %s', async (_case, path) => {
    const check = await started(client, 60);
    const { status, error } = await errorOf(await h.call(path(check)));
    expect([status, error]).toEqual([404, 'not_found']);
  });

  it('streams the check as server-sent events with Accept: text/event-stream', async () => {
    const check = await started(client, 60);
    const response = await h.call(clientCheckPath(client.client_id, check.id), {
      headers: { accept: 'text/event-stream' },
    });
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const reader = response.body!.getReader();
    let text = '';
    while (!text.includes('event: check')) text += new TextDecoder().decode((await reader.read()).value);
    while (!text.endsWith('\n\n')) text += new TextDecoder().decode((await reader.read()).value);
    const data = /data: (.*)\n/.exec(text.slice(text.indexOf('event: check')))![1]!;
    expect(readCheck(JSON.parse(data), 200).id).toBe(check.id);
    await reader.cancel();
  });

  it('ends the stream after the done event', async () => {
    const check = await started(client, 60);
    h.clock.advance(60_000 + checkSettleMs);
    const response = await h.call(clientCheckPath(client.client_id, check.id), {
      headers: { accept: 'text/event-stream' },
    });
    const text = await response.text();
    const events = text.split('\n\n').filter((block) => block.startsWith('event: check'));
    expect(events).toHaveLength(1);
    expect(JSON.parse(events[0]!.split('data: ')[1]!).status).toBe('done');
  });
});

describe('during a check', () => {
  it('gives the client 30-second tokens; other clients keep their lifetime', async () => {
    const other = await h.register({ scope: readScope });
    await started(client, 60);
    const mine = await (await h.requestToken(client)).json();
    expect(mine.expires_in).toBe(checkTokenLifetimeSeconds);
    const theirs = await (await h.requestToken(other)).json();
    expect(theirs.expires_in).toBe(other.access_token_lifetime);
  });

  it('injects each fault once, at its moment, and records it', async () => {
    const check = await started(client, 100);
    const at = (share: number) => Date.parse(check.started_at) + share * 100_000;
    const token = await h.token(client);
    expect((await api(token)).status).toBe(200);

    // The 503 on a token request, once.
    h.clock.advance(at(faultSchedule.token_endpoint_unavailable) - h.clock.now());
    const refused = await h.requestToken(client);
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('3');
    expect((await h.requestToken(client)).status).toBe(200);

    // The revocation: the call that triggers it succeeds, the next one with that token is refused.
    h.clock.advance(at(faultSchedule.token_revoked) - h.clock.now());
    const used = await h.token(client);
    expect((await api(used)).status).toBe(200);
    const revoked = await api(used);
    expect(revoked.status).toBe(401);
    expect(revoked.headers.get('www-authenticate')).toContain('invalid_token');

    // The 429 on an API call, once.
    h.clock.advance(at(faultSchedule.api_rate_limited) - h.clock.now());
    const fresh = await h.token(client);
    const limited = await api(fresh);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('2');
    expect((await api(fresh)).status).toBe(200);

    const faults = (await read(client, check.id)).faults;
    expect(faults.map((fault) => fault.kind)).toEqual([
      'token_endpoint_unavailable',
      'token_revoked',
      'api_rate_limited',
    ]);
    expect(faults.every((fault) => fault.detail.length > 20 && !Number.isNaN(Date.parse(fault.at)))).toBe(
      true,
    );
  });

  it('grades at the end: done, ended_at, and the criteria from the traffic', async () => {
    const check = await started(client, 60);
    const token = await h.token(client);
    for (let i = 0; i < 5; i++) {
      expect((await api(token)).status).toBe(200);
      h.clock.advance(1_000);
    }
    h.clock.advance(Date.parse(check.ends_at) + checkSettleMs - h.clock.now());
    const done = await read(client, check.id);
    expect(done.status).toBe('done');
    expect(done.ended_at).toBe(check.ends_at);
    const result = Object.fromEntries(done.criteria.map((criterion) => [criterion.id, criterion.result]));
    expect(result).toMatchObject({
      reuses_tokens: 'pass',
      credentials_in_header: 'pass',
      no_secrets_in_url: 'pass',
      least_scope: 'pass',
    });
    expect(done.criteria.find((c) => c.id === 'reuses_tokens')!.evidence).toMatch(
      /^1 token request for 5 API calls in 60 s\.$/,
    );
    // Graded once: a later read gives the same report.
    h.clock.advance(3_600_000);
    expect(await read(client, check.id)).toEqual(done);
  });
});
