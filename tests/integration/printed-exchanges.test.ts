import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiProfile } from '../../src/lib/api-profile.ts';
import type { ExampleContext } from '../../src/lib/example-placeholders.ts';
import { parseWwwAuthenticate } from '../../src/lib/www-authenticate.ts';
import { renderedExampleText } from '../support/rendered-examples.ts';
import {
  registerClient,
  startListeningSandbox,
  type ListeningSandbox,
  type RegisteredClient,
} from '../support/listening-sandbox.ts';

// Replays every HTTP exchange the pages print (content/examples/http) against the real sandbox,
// served by the real server on 127.0.0.1: each request is sent as printed (placeholders filled
// in from the API profile and the origin under test, as the pages fill them in), and the answer
// must have the printed status, headers, `error` and body fields. The sample programs run in
// samples-<language>.test.ts.

const examplesDir = fileURLToPath(new URL('../../content/examples/', import.meta.url));
const { readScope } = apiProfile;
/** What fills the placeholders: the profile, and the origin of the sandbox under test. */
const exampleContext = (): ExampleContext => ({ profile: apiProfile, origin: main.origin });

// ---------------------------------------------------------------------------------------------

type Running = ListeningSandbox;
const startSandboxServer = () => startListeningSandbox({ dataPath: ':memory:' });
const stop = async (running: Running | undefined) => running?.close();

/** A registered client, as the shared helper returns it. */
type Client = RegisteredClient;

const basic = (id: string, secret: string) => Buffer.from(`${id}:${secret}`).toString('base64');

async function requestToken(
  origin: string,
  client: Client,
  scope?: string,
): Promise<{ access_token: string; expires_in: number }> {
  const response = await fetch(`${origin}/oauth/token`, {
    method: 'POST',
    headers: { authorization: `Basic ${basic(client.client_id, client.client_secret)}` },
    body: new URLSearchParams(
      scope ? { grant_type: 'client_credentials', scope } : { grant_type: 'client_credentials' },
    ),
  });
  expect(response.status, 'POST /oauth/token').toBe(200);
  return (await response.json()) as { access_token: string; expires_in: number };
}

let main: Running;
/** Registered with the defaults: every scope, client_secret_basic, 3600 s tokens. */
let client: Client;
/** Registered for client_secret_post: the form-body sample uses it. */
let postClient: Client;
/** A token whose 5 s lifetime runs out while the other cases run. */
let shortToken: { access_token: string; expiresAtMs: number };

beforeAll(async () => {
  main = await startSandboxServer();
  client = await registerClient(main.origin, { client_name: 'examples test' });
  postClient = await registerClient(main.origin, {
    client_name: 'examples test, form body',
    token_endpoint_auth_method: 'client_secret_post',
  });
  const shortLived = await registerClient(main.origin, {
    client_name: 'examples test, short-lived',
    access_token_lifetime: 5,
  });
  const token = await requestToken(main.origin, shortLived);
  // The API refuses a token from its exp claim on (whole seconds, rounded up by the sandbox).
  const { exp } = JSON.parse(Buffer.from(token.access_token.split('.')[1]!, 'base64url').toString()) as {
    exp: number;
  };
  shortToken = { access_token: token.access_token, expiresAtMs: exp * 1000 };
});

afterAll(async () => {
  await stop(main);
});

// ---------------------------------------------------------------------------------------------
// The HTTP exchanges the pages print: each request is sent as printed (placeholders filled in),
// and the sandbox's answer must have the printed status, headers, `error` and body fields.

interface HttpMessage {
  startLine: string;
  headers: [string, string][];
  body: string;
}

function parseMessage(text: string): HttpMessage {
  const [head = '', ...rest] = text.trim().split(/\n\n/);
  const [startLine = '', ...headerLines] = head.split('\n');
  return {
    startLine,
    headers: headerLines.map((line) => {
      const colon = line.indexOf(':');
      return [line.slice(0, colon).trim(), line.slice(colon + 1).trim()];
    }),
    body: rest.join('\n\n').trim(),
  };
}

/** Splits an exchange file into its request (if printed) and its response. */
function parseExchange(text: string): { request?: HttpMessage | undefined; response?: HttpMessage } {
  const responseStart = text.search(/^HTTP\/1\.1 \d{3}/m);
  if (responseStart < 0) return { request: parseMessage(text) };
  return {
    request: responseStart > 0 ? parseMessage(text.slice(0, responseStart)) : undefined,
    response: parseMessage(text.slice(responseStart)),
  };
}

/** The values the printed requests leave to the reader. */
interface Placeholders {
  YOUR_CLIENT_ID: string;
  YOUR_CLIENT_SECRET: string;
  YOUR_ACCESS_TOKEN: string;
  A_READ_ONLY_TOKEN: string;
  ANOTHER_CLIENTS_TOKEN: string;
  AN_EXPIRED_TOKEN: string;
}

function fillIn(text: string, values: Partial<Placeholders>): string {
  let filled = text;
  for (const [name, value] of Object.entries(values)) filled = filled.replaceAll(name, value);
  return filled.replace(/BASE64\(([^:)]*):([^)]*)\)/g, (_match, id: string, secret: string) =>
    basic(id, secret),
  );
}

async function send(origin: string, request: HttpMessage): Promise<Response> {
  const [method = '', target = ''] = request.startLine.split(' ');
  const headers = new Headers(request.headers.filter(([name]) => name.toLowerCase() !== 'host'));
  return fetch(`${origin}${target}`, {
    method,
    headers,
    body: request.body === '' ? null : request.body,
  });
}

/** Compares an answer with the printed one; descriptions are prose and may be worded differently. */
async function expectLikePrinted(actual: Response, printed: HttpMessage) {
  expect(`${actual.status}`).toBe(printed.startLine.split(' ')[1]);
  for (const [name, printedValue] of printed.headers) {
    const value = actual.headers.get(name);
    expect(value, `header ${name}`).not.toBeNull();
    if (name.toLowerCase() === 'retry-after') {
      expect(value).toMatch(/^\d+$/);
    } else if (name.toLowerCase() === 'www-authenticate') {
      const [got] = parseWwwAuthenticate(value!) ?? [];
      const [want] = parseWwwAuthenticate(printedValue) ?? [];
      expect(got?.scheme.toLowerCase()).toBe(want?.scheme.toLowerCase());
      expect(Object.keys(got?.params ?? {}).sort()).toEqual(Object.keys(want?.params ?? {}).sort());
      const { error_description: _got, ...gotParams } = got?.params ?? {};
      const { error_description: _want, ...wantParams } = want?.params ?? {};
      expect(gotParams).toEqual(wantParams);
    } else {
      expect(value, `header ${name}`).toBe(printedValue);
    }
  }
  if (printed.body === '') return;
  const body = (await actual.json()) as Record<string, unknown>;
  const printedBody = JSON.parse(printed.body) as Record<string, unknown>;
  expect(Object.keys(body).sort()).toEqual(Object.keys(printedBody).sort());
  for (const [key, value] of Object.entries(printedBody)) {
    if (key === 'access_token' || key === 'error_description') expect(typeof body[key]).toBe(typeof value);
    else expect(body[key], key).toEqual(value);
  }
}

const httpDir = join(examplesDir, 'http');
/** An exchange as the page prints it: placeholders filled in for the sandbox under test. */
const readExchange = (file: string, origin = main.origin) =>
  renderedExampleText(`http/${file}`, { ...exampleContext(), origin });

async function placeholders(): Promise<Placeholders> {
  const readOnly = await requestToken(main.origin, client, readScope);
  const another = await requestToken(
    main.origin,
    await registerClient(main.origin, { client_name: 'examples test, another' }),
  );
  return {
    YOUR_CLIENT_ID: client.client_id,
    YOUR_CLIENT_SECRET: client.client_secret,
    YOUR_ACCESS_TOKEN: readOnly.access_token,
    A_READ_ONLY_TOKEN: readOnly.access_token,
    ANOTHER_CLIENTS_TOKEN: another.access_token,
    AN_EXPIRED_TOKEN: shortToken.access_token,
  };
}

describe('the HTTP exchanges the pages print', () => {
  it('token-request-basic.http gets token-response.http', async () => {
    const { request } = parseExchange(fillIn(readExchange('token-request-basic.http'), await placeholders()));
    const { response } = parseExchange(readExchange('token-response.http'));
    await expectLikePrinted(await send(main.origin, request!), response!);
  });

  it('token-request-form-body.http gets token-response.http, for a client_secret_post client', async () => {
    const values = { YOUR_CLIENT_ID: postClient.client_id, YOUR_CLIENT_SECRET: postClient.client_secret };
    const { request } = parseExchange(fillIn(readExchange('token-request-form-body.http'), values));
    const { response } = parseExchange(readExchange('token-response.http'));
    await expectLikePrinted(await send(main.origin, request!), response!);
  });

  it('api-request.http gets 200', async () => {
    const { request } = parseExchange(fillIn(readExchange('api-request.http'), await placeholders()));
    const response = await send(main.origin, request!);
    expect(response.status).toBe(200);
    expect(await response.json()).toHaveProperty('reports');
  });

  /** Printed with no request: the sandbox never sends it, and the page says why. */
  const notFromTheSandbox = ['unauthorized_client.http'];
  /** Spends the rate limit of its address: runs on a sandbox of its own. */
  const rateLimited = 'too_many_requests.http';
  const errorFiles = readdirSync(join(httpDir, 'errors')).filter((file) => file.endsWith('.http'));
  const replayable = errorFiles.filter((file) => !notFromTheSandbox.includes(file) && file !== rateLimited);

  it('every error example is checked by one of the cases below', () => {
    expect([...replayable, ...notFromTheSandbox, rateLimited].sort()).toEqual(errorFiles.sort());
    expect(replayable.length).toBeGreaterThanOrEqual(9);
  });

  it.each(replayable)('errors/%s: the sandbox answers as printed', async (file) => {
    const exchange = readExchange(`errors/${file}`);
    if (exchange.includes('AN_EXPIRED_TOKEN')) {
      // The sandbox allows no leeway: one millisecond past exp is expired.
      const wait = shortToken.expiresAtMs + 50 - Date.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    }
    const { request, response } = parseExchange(fillIn(exchange, await placeholders()));
    expect(request, 'a printed request').toBeDefined();
    await expectLikePrinted(await send(main.origin, request!), response!);
  });

  it('unauthorized_client.http: the sandbox never sends it, because every client gets only client_credentials', async () => {
    const { request, response } = parseExchange(readExchange('errors/unauthorized_client.http'));
    expect(request).toBeUndefined();
    expect(response!.startLine).toBe('HTTP/1.1 400 Bad Request');
    expect(JSON.parse(response!.body)).toMatchObject({ error: 'unauthorized_client' });
    expect(client.grant_types).toEqual(['client_credentials']);
    expect(postClient.grant_types).toEqual(['client_credentials']);
  });

  it('too_many_requests.http: repeated failed authentications get 429 as printed', async () => {
    const own = await startSandboxServer();
    try {
      const ownClient = await registerClient(own.origin, { client_name: 'examples test, rate limit' });
      const { request, response } = parseExchange(
        fillIn(readExchange(`errors/${rateLimited}`, own.origin), { YOUR_CLIENT_ID: ownClient.client_id }),
      );
      let answer = await send(own.origin, request!);
      // sandbox-api.md: at least 20 failed authentications a minute are allowed; the limit is finite.
      for (let attempt = 1; answer.status === 401 && attempt <= 200; attempt++) {
        await answer.body?.cancel();
        answer = await send(own.origin, request!);
      }
      await expectLikePrinted(answer, response!);
    } finally {
      await stop(own);
    }
  });
});
