import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { encodeBasicCredentials } from '../../../../src/lib/basic-auth.ts';
import { journalStreamLimits } from '../../../../src/sandbox/inspector/journal-endpoint.ts';
import { boundedEntryJson, createJournal } from '../../../../src/sandbox/inspector/journal.ts';
import type { JournalEntry } from '../../../../src/lib/sandbox-contract/journal-entry.ts';
import { journalLimits } from '../../../../src/sandbox/store/store.ts';
import { createHarness, formHeaders, type Harness, type RegisteredClient } from '../harness.ts';
import { journalPath, newestEntry, readJournal } from './support.ts';

let h: Harness;
let client: RegisteredClient;
beforeEach(async () => {
  h = await createHarness({ rateLimit: false });
  client = await h.register({ client_name: 'watched' });
});
afterEach(() => h.close());

const bearer = (c: RegisteredClient) => `Bearer ${c.registration_access_token as string}`;
const api = (token: string) => h.call('/api/v1/reports', { headers: { authorization: `Bearer ${token}` } });

describe('GET {registration_client_uri}/requests', () => {
  it('lists the requests attributed to the client, newest first, with id = x-request-id', async () => {
    const token = await h.token(client);
    const response = await h.sandbox.handle(
      new Request('http://localhost:4321/api/v1/reports', { headers: { authorization: `Bearer ${token}` } }),
      { clientAddress: '192.0.2.1', requestId: 'my-request-id' },
    );
    expect(response.status).toBe(200);
    const entries = await readJournal(h, client);
    expect(entries.map((entry) => `${entry.method} ${entry.path} ${entry.status}`)).toEqual([
      'GET /api/v1/reports 200',
      'POST /oauth/token 200',
      'POST /oauth/register 201',
    ]);
    const [call, tokenRequest] = entries;
    expect(call!.id).toBe('my-request-id');
    expect(call!.time).toBe(new Date(h.clock.now()).toISOString());
    expect(call!.received).toMatchObject({
      credentials: 'bearer',
      header_names: ['authorization'],
      token: { jti: expect.any(String), exp: expect.any(Number), scope: 'reports:read reports:write' },
    });
    // The resource server's verdict, in order, each step passed.
    expect(call!.received.verdict!.map((item) => `${item.step}:${item.result}`)).toEqual([
      'format:passed',
      'signature:passed',
      'typ:passed',
      'iss:passed',
      'aud:passed',
      'exp:passed',
      'revoked:passed',
      'scope:passed',
    ]);
    expect(call!.received.verdict![1]!.detail).toMatch(/^kid /);
    expect(tokenRequest!.received).toMatchObject({
      credentials: 'basic',
      content_type: 'application/x-www-form-urlencoded',
      grant_type: 'client_credentials',
      body_parameters: ['grant_type'],
      issued: { jti: call!.received.token!.jti },
    });
  });

  it('shows the step that failed: an expired token fails at exp, after format to aud passed', async () => {
    const short = await h.register({ access_token_lifetime: 5 });
    const token = await h.token(short);
    h.clock.advance(6_000);
    expect((await api(token)).status).toBe(401);
    const entry = await newestEntry(h, short);
    expect(entry).toMatchObject({ status: 401, error: 'invalid_token' });
    expect(entry.received.verdict!.map((item) => `${item.step}:${item.result}`)).toEqual([
      'format:passed',
      'signature:passed',
      'typ:passed',
      'iss:passed',
      'aud:passed',
      'exp:failed',
    ]);
  });

  it('keeps the last 100 entries of a client', async () => {
    for (let i = 0; i < journalLimits.entriesPerClient + 20; i++) await h.requestToken(client);
    const entries = await readJournal(h, client);
    expect(entries).toHaveLength(journalLimits.entriesPerClient);
    expect(entries.every((entry) => entry.path === '/oauth/token')).toBe(true);
  });

  it('does not journal its own reads', async () => {
    await readJournal(h, client);
    await readJournal(h, client);
    expect((await readJournal(h, client)).map((entry) => entry.path)).toEqual(['/oauth/register']);
  });

  it('journals RFC 7592 reads and updates made with the registration access token', async () => {
    const uri = new URL(client.registration_client_uri as string).pathname;
    await h.call(uri, { headers: { authorization: bearer(client) } });
    expect(await newestEntry(h, client)).toMatchObject({
      method: 'GET',
      path: uri,
      status: 200,
      received: { credentials: 'registration_token' },
    });
  });

  it('is refused without the registration access token, or with another client’s', async () => {
    const other = await h.register();
    for (const authorization of [undefined, bearer(other), `Bearer ${client.client_secret}`]) {
      const response = await h.call(journalPath(client), authorization ? { headers: { authorization } } : {});
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toMatch(/^Bearer realm="sandbox"/);
    }
  });

  it('is gone with the client (RFC 7592 delete)', async () => {
    await h.token(client);
    const uri = new URL(client.registration_client_uri as string).pathname;
    expect((await h.call(uri, { method: 'DELETE', headers: { authorization: bearer(client) } })).status).toBe(
      204,
    );
    expect(await h.store.listJournalEntries(client.client_id, 100)).toEqual([]);
  });
});

describe('attribution', () => {
  it.each([
    ['an unknown client_id in Basic', () => encodeBasicCredentials('nobody', 'nothing')],
    ['a token whose signature does not verify', () => `Bearer ${'e30'}.${'e30'}.${'c2ln'}`],
    ['no credentials at all', () => undefined],
  ])('journals nothing for %s', async (_label, authorization) => {
    const value = authorization();
    await h.call('/oauth/token', {
      method: 'POST',
      headers: { ...formHeaders, ...(value ? { authorization: value } : {}) },
      body: 'grant_type=client_credentials',
    });
    await h.call('/api/v1/reports', value ? { headers: { authorization: value } } : {});
    expect((await readJournal(h, client)).map((entry) => entry.path)).toEqual(['/oauth/register']);
  });

  it('files a failed token request under the client its Basic credentials name, wrong secret or not', async () => {
    await h.call('/oauth/token', {
      method: 'POST',
      headers: { ...formHeaders, authorization: encodeBasicCredentials(client.client_id, 'wrong') },
      body: 'grant_type=client_credentials',
    });
    expect(await newestEntry(h, client)).toMatchObject({
      status: 401,
      error: 'invalid_client',
      findings: [],
    });
  });

  it('files an expired or revoked token under the client of its verified signature', async () => {
    const token = await h.token(client);
    await h.call('/oauth/revoke', {
      method: 'POST',
      headers: {
        ...formHeaders,
        authorization: encodeBasicCredentials(client.client_id, client.client_secret),
      },
      body: `token=${token}`,
    });
    await api(token);
    expect(await newestEntry(h, client)).toMatchObject({ path: '/api/v1/reports', status: 401 });
  });
});

describe('never a secret or a token value in the journal or the stream', () => {
  it('keeps none of the values a careless client sends', async () => {
    const token = await h.token(client);
    const secret = client.client_secret;
    const registrationToken = client.registration_access_token as string;
    const careless: RequestInit[] = [
      // The secret where the scope and grant type go, the token in the URL and twice prefixed.
      {
        method: 'POST',
        headers: { ...formHeaders, authorization: encodeBasicCredentials(client.client_id, `${secret}\n`) },
        body: `grant_type=${secret}&scope=${secret}`,
      },
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ grant_type: token, client_id: client.client_id, client_secret: secret }),
      },
      {
        method: 'POST',
        headers: { 'content-type': `${secret}` },
        body: `client_id=${client.client_id}&client_secret=${secret}`,
      },
    ];
    for (const init of careless) await h.call('/oauth/token', init);
    await h.call(`/api/v1/reports?access_token=${token}`);
    await h.call('/api/v1/reports', { headers: { authorization: `Bearer Bearer ${token}` } });
    await h.call('/api/v1/reports', { headers: { authorization: token } });
    await h.call('/oauth2/token', {
      method: 'POST',
      headers: { ...formHeaders, authorization: encodeBasicCredentials(client.client_id, secret) },
      body: `grant_type=client_credentials&client_secret=${secret}`,
    });
    const response = await h.call(journalPath(client), {
      headers: { authorization: bearer(client), accept: 'text/event-stream' },
    });
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let streamed = '';
    while (!streamed.includes('/oauth2/token')) streamed += decoder.decode((await reader.read()).value);
    await reader.cancel();
    const listed = JSON.stringify(await readJournal(h, client));
    expect(listed).toContain('/oauth2/token');
    for (const text of [listed, streamed]) {
      for (const value of [secret, token, registrationToken, token.split('.')[2]!])
        expect(text).not.toContain(value);
    }
  });
});

describe('the live stream (Accept: text/event-stream)', () => {
  async function open(lastEventId?: string, address = '192.0.2.1') {
    const response = await h.call(
      journalPath(client),
      {
        headers: {
          authorization: bearer(client),
          accept: 'text/event-stream',
          ...(lastEventId ? { 'last-event-id': lastEventId } : {}),
        },
      },
      address,
    );
    const reader = response.body?.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    return {
      response,
      /** Reads until `count` events arrived; returns their ids and paths. */
      async events(count: number) {
        const events: { id: string; path: string }[] = [];
        while (events.length < count) {
          const blocks = buffer.split('\n\n');
          buffer = blocks.pop()!;
          for (const block of blocks) {
            const id = /^id: (.*)$/m.exec(block)?.[1];
            const data = /^data: (.*)$/m.exec(block)?.[1];
            if (id && data) events.push({ id, path: (JSON.parse(data) as JournalEntry).path });
          }
          if (events.length >= count) break;
          const { value, done } = await reader!.read();
          if (done) break;
          buffer += decoder.decode(value);
        }
        return events;
      },
      close: () => reader?.cancel(),
    };
  }

  it('sends the backlog oldest first, then each new entry as it is recorded', async () => {
    const stream = await open();
    expect(stream.response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(stream.response.headers.get('cache-control')).toBe('no-store');
    expect((await stream.events(1)).map((event) => event.path)).toEqual(['/oauth/register']);
    await h.requestToken(client);
    expect((await stream.events(1)).map((event) => event.path)).toEqual(['/oauth/token']);
    await stream.close();
  });

  it('resumes after Last-Event-ID without repeating what was received', async () => {
    await h.requestToken(client);
    const [registered] = await readJournal(h, client).then((entries) => entries.reverse());
    const stream = await open(registered!.id);
    expect((await stream.events(1)).map((event) => event.path)).toEqual(['/oauth/token']);
    await stream.close();
  });

  it(`allows ${journalStreamLimits.perClient} streams per client, then 429 with Retry-After`, async () => {
    const streams = [];
    for (let i = 0; i < journalStreamLimits.perClient; i++)
      streams.push(await open(undefined, `198.51.100.${i}`));
    const refused = await open(undefined, '198.51.100.99');
    expect(refused.response.status).toBe(429);
    expect(refused.response.headers.get('retry-after')).toBe('10');
    // A closed stream frees its place.
    await streams.pop()!.close();
    await new Promise((resolve) => setTimeout(resolve, 10));
    const again = await open(undefined, '198.51.100.98');
    expect(again.response.status).toBe(200);
    for (const stream of [...streams, again]) await stream.close();
  });

  it('ends every stream when the sandbox closes', async () => {
    const stream = await open();
    await stream.events(1);
    h.sandbox.closeStreams();
    expect(await stream.events(5)).toEqual([]);
  });
});

describe('bounds', () => {
  it('keeps an entry within its byte bound whatever it holds', () => {
    const huge: JournalEntry = {
      id: 'x',
      time: new Date(0).toISOString(),
      method: 'POST',
      path: '/oauth/token',
      status: 400,
      received: {
        credentials: 'basic',
        header_names: Array.from({ length: 32 }, (_, i) => `x-header-${i}-${'h'.repeat(50)}`),
        body_parameters: Array.from({ length: 32 }, (_, i) => `p${i}${'p'.repeat(60)}`),
      },
      findings: Array.from({ length: 10 }, () => ({
        code: 'wrong_path' as const,
        severity: 'error' as const,
        message: 'm'.repeat(400),
        fix: 'f'.repeat(400),
        doc: 'http://localhost:4321/errors/#wrong_path',
      })),
    };
    const json = boundedEntryJson(huge);
    expect(json.length).toBeLessThanOrEqual(journalLimits.entryBytes);
    expect(JSON.parse(json)).toMatchObject({ id: 'x', path: '/oauth/token', status: 400 });
  });

  it('makes only the entries a flush can keep: a client’s last 100, in order, whatever waited', async () => {
    const journal = createJournal({ store: h.store, flushIntervalMs: 60_000 });
    const made: string[] = [];
    const entry = (id: string) => () => {
      made.push(id);
      return {
        id,
        time: '',
        method: 'POST',
        path: '/oauth/token',
        status: 200,
        received: {},
        findings: [],
      } as unknown as JournalEntry;
    };
    const count = journalLimits.entriesPerClient * 2 + 50;
    for (let i = 0; i < count; i++) journal.record('busy', entry(`b${i}`));
    journal.record('quiet', entry('q0'));
    await journal.flush();
    const kept = (await h.store.listJournalEntries('busy', 1000)).map((record) => record.id);
    const expected = Array.from({ length: journalLimits.entriesPerClient }, (_, i) => `b${count - 1 - i}`);
    expect(kept).toEqual(expected);
    expect((await h.store.listJournalEntries('quiet', 10)).map((record) => record.id)).toEqual(['q0']);
    // Dropped entries were never made: only what the store keeps was serialized.
    expect(made).toHaveLength(journalLimits.entriesPerClient + 1);
    await journal.close();
  });

  it('keeps at most the total bound for all clients together', async () => {
    const records = Array.from({ length: journalLimits.totalEntries + 50 }, (_, i) => ({
      clientId: `c${i % 500}`,
      id: `r${i}`,
      json: '{}',
    }));
    await h.store.appendJournalEntries(records);
    let total = 0;
    for (let c = 0; c < 500; c++) total += (await h.store.listJournalEntries(`c${c}`, 1000)).length;
    expect(total).toBeLessThanOrEqual(journalLimits.totalEntries);
    // The newest survive.
    expect((await h.store.listJournalEntries('c49', 1))[0]!.id).toBe(`r${journalLimits.totalEntries + 49}`);
  });

  it('sweeps the journals of clients that are gone', async () => {
    await h.token(client);
    h.clock.advance(25 * 3600 * 1000);
    await h.call('/oauth/jwks');
    expect(await h.store.listJournalEntries(client.client_id, 100)).toEqual([]);
  });
});
