import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { encodeBasicCredentials } from '../../../src/lib/basic-auth.ts';
import { createSandbox, type Sandbox } from '../../../src/sandbox/sandbox.ts';
import { createSiteServer } from '../../../src/server/http-server.ts';
import {
  batchedLineWriter,
  formatRequestLogLine,
  jsonLinesRequestLog,
  type RequestLogEntry,
} from '../../../src/server/request-log.ts';
import { assetContentSecurityPolicy } from '../../../src/server/site-security-headers.ts';
import { createStaticSite } from '../../../src/server/static-files.ts';

const pagePolicy = "default-src 'self'; script-src 'self' 'sha256-abc='";
const root = mkdtempSync(join(tmpdir(), 'site-server-'));
let server: Server;
let sandbox: Sandbox;
let origin: string;
const entries: RequestLogEntry[] = [];

beforeAll(async () => {
  mkdirSync(join(root, 'flow'));
  writeFileSync(
    join(root, 'index.html'),
    `<!doctype html><meta http-equiv="content-security-policy" content="${pagePolicy.replaceAll("'", '&#39;')}"><title>Home</title>`,
  );
  writeFileSync(join(root, 'flow', 'index.html'), '<!doctype html><title>Flow</title>');
  writeFileSync(join(root, 'app.js'), 'console.log(1)');
  server = createSiteServer({
    origin: 'https://guide.example.com',
    sandbox: (sandbox = await createSandbox({ issuer: 'https://guide.example.com' })),
    site: createStaticSite(root),
    requestLog: (entry) => entries.push(entry),
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await sandbox.close();
  rmSync(root, { recursive: true, force: true });
});

/** The log entry of a response, found by the request id it carries. */
function entryOf(response: Response): RequestLogEntry {
  const id = response.headers.get('x-request-id');
  expect(id).toMatch(/^[0-9a-f-]{36}$/);
  const entry = entries.find((candidate) => candidate.requestId === id);
  expect(entry).toBeDefined();
  return entry!;
}

describe('every answer of the site server', () => {
  it.each([
    ['a page', '/', 200, `${pagePolicy}; frame-ancestors 'none'`],
    [
      'a page without a meta policy',
      '/flow/',
      200,
      "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
    ],
    ['a script', '/app.js', 200, assetContentSecurityPolicy],
    ['a redirect', '/flow', 308, assetContentSecurityPolicy],
    ['a missing page (no 404.html)', '/nothing/', 404, assetContentSecurityPolicy],
  ])(
    '%s carries the security headers, a request id and its log line',
    async (_name, path, status, policy) => {
      const response = await fetch(`${origin}${path}?q=secret-query`, { redirect: 'manual' });
      expect(response.status).toBe(status);
      expect(response.headers.get('content-security-policy')).toBe(policy);
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('referrer-policy')).toBe('no-referrer');
      expect(response.headers.get('x-frame-options')).toBe('DENY');
      expect(response.headers.get('strict-transport-security')).toBe('max-age=31536000');
      expect(entryOf(response)).toMatchObject({
        method: 'GET',
        path,
        status,
        durationMs: expect.any(Number),
      });
    },
  );

  it('answers a method the site does not take with 405 and the same headers', async () => {
    const response = await fetch(`${origin}/`, { method: 'DELETE' });
    expect(response.status).toBe(405);
    expect(response.headers.get('content-security-policy')).toBe(assetContentSecurityPolicy);
    expect(entryOf(response)).toMatchObject({ method: 'DELETE', status: 405 });
  });

  it('logs what the sandbox observed: the client_id and the error code, never a secret', async () => {
    const registration = await fetch(`${origin}/oauth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    const client = (await registration.json()) as { client_id: string; client_secret: string };
    expect(entryOf(registration)).toMatchObject({
      method: 'POST',
      path: '/oauth/register',
      status: 201,
      clientId: client.client_id,
    });
    expect(registration.headers.get('content-security-policy')).toMatch(/^default-src 'none'/);
    expect(registration.headers.get('strict-transport-security')).toBe('max-age=31536000');

    const failed = await fetch(`${origin}/oauth/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: encodeBasicCredentials(client.client_id, 'wrong'),
      },
      body: 'grant_type=client_credentials',
    });
    expect(entryOf(failed)).toMatchObject({
      status: 401,
      clientId: client.client_id,
      error: 'invalid_client',
    });
    expect(JSON.stringify(entries)).not.toContain(client.client_secret);
  });

  it('gives every request its own id', async () => {
    const ids = await Promise.all(
      [1, 2, 3].map(async () => (await fetch(`${origin}/oauth/jwks`)).headers.get('x-request-id')),
    );
    expect(new Set(ids).size).toBe(3);
  });
});

describe('the request log line', () => {
  const entry: RequestLogEntry = {
    requestId: 'id-1',
    method: 'POST',
    path: '/oauth/token',
    status: 401,
    durationMs: 1.23456,
    clientId: 'abc',
    error: 'invalid_client',
  };

  it('is one JSON line with the documented fields', () => {
    const line = formatRequestLogLine(entry, new Date(Date.UTC(2030, 0, 1)));
    expect(line.endsWith('\n')).toBe(true);
    expect(line.slice(0, -1)).not.toContain('\n');
    expect(JSON.parse(line)).toEqual({
      time: '2030-01-01T00:00:00.000Z',
      level: 'info',
      message: 'request',
      request_id: 'id-1',
      method: 'POST',
      path: '/oauth/token',
      status: 401,
      duration_ms: 1.23,
      client_id: 'abc',
      error: 'invalid_client',
    });
  });

  it('leaves out what is unknown and cuts absurd paths, still one line', () => {
    const line = formatRequestLogLine(
      { requestId: 'id-2', method: 'GET', path: `/${'a\n"'.repeat(500)}`, status: 404, durationMs: 0.5 },
      new Date(),
    );
    const parsed = JSON.parse(line) as Record<string, unknown>;
    expect(parsed).not.toHaveProperty('client_id');
    expect(parsed).not.toHaveProperty('error');
    expect((parsed.path as string).length).toBeLessThanOrEqual(257);
    expect(line.trimEnd().split('\n')).toHaveLength(1);
  });

  it('is one line per entry, handed to the writer in order', () => {
    const lines: string[] = [];
    const log = jsonLinesRequestLog((line) => lines.push(line));
    log(entry);
    log({ ...entry, requestId: 'id-3' });
    expect(lines.map((line) => JSON.parse(line).request_id)).toEqual(['id-1', 'id-3']);
  });
});

describe('the batched line writer (the request log on stdout)', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('writes the lines of a burst together, in order, one interval after the first', () => {
    const writes: string[] = [];
    const writer = batchedLineWriter((text) => writes.push(text), { flushIntervalMs: 100 });
    writer('a\n');
    writer('b\n');
    expect(writes).toEqual([]);
    vi.advanceTimersByTime(99);
    writer('c\n');
    expect(writes).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(writes).toEqual(['a\nb\nc\n']);
    writer('d\n');
    vi.advanceTimersByTime(100);
    expect(writes).toEqual(['a\nb\nc\n', 'd\n']);
    vi.advanceTimersByTime(1_000);
    expect(writes).toHaveLength(2);
  });

  it('writes at once when the batch reaches its size, and on flush()', () => {
    const writes: string[] = [];
    const writer = batchedLineWriter((text) => writes.push(text), { maxBufferedChars: 10 });
    writer('12345\n');
    writer('67890\n');
    expect(writes).toEqual(['12345\n67890\n']);
    writer('x\n');
    writer.flush();
    expect(writes).toEqual(['12345\n67890\n', 'x\n']);
    writer.flush();
    expect(writes).toHaveLength(2);
  });

  it('never holds the process open: its timer is unref()ed', () => {
    vi.useRealTimers();
    const writer = batchedLineWriter(() => {}, { flushIntervalMs: 60_000 });
    const before = process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length;
    writer('a\n');
    // An unref()ed timer is not an active resource.
    expect(process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length).toBe(before);
    writer.flush();
  });
});
