import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createSandbox, type Sandbox } from '../../../src/sandbox/sandbox.ts';
import { createSiteServer, type ServerLimits } from '../../../src/server/http-server.ts';
import type { RequestLogEntry } from '../../../src/server/request-log.ts';
import { createStaticSite } from '../../../src/server/static-files.ts';
import { allowedHostnames } from '../../../src/server/host-check.ts';

const root = mkdtempSync(join(tmpdir(), 'server-hardening-'));
let server: Server;
let sandbox: Sandbox;
let port: number;
const entries: RequestLogEntry[] = [];
const limits: Partial<ServerLimits> = { maxConnections: 20 };

beforeAll(async () => {
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>Home</title>');
  sandbox = await createSandbox({ issuer: 'http://localhost:4321', rateLimit: false });
  server = createSiteServer({
    origin: 'http://localhost:4321',
    sandbox,
    site: createStaticSite(root),
    requestLog: (entry) => entries.push(entry),
    limits,
    allowedHostnames: allowedHostnames('http://localhost:4321', '127.0.0.1'),
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await sandbox.close();
  rmSync(root, { recursive: true, force: true });
});

/**
 * Opens a raw connection, writes `head`, then what `more` writes; resolves with everything the
 * server sent once it closed the connection, or after `waitMs` (then `timedOut`).
 */
function exchange(head: string, more?: (write: (data: string | Buffer) => boolean) => void, waitMs = 3000) {
  return new Promise<{ text: string; timedOut: boolean }>((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let text = '';
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({ text, timedOut: true });
    }, waitMs);
    socket.on('data', (data) => (text += data.toString('latin1')));
    socket.on('error', () => {});
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ text, timedOut: false });
    });
    socket.write(head);
    more?.((data) => socket.write(data));
  });
}

const post = (headers: string) =>
  `POST /oauth/token HTTP/1.1\r\nHost: localhost:4321\r\nContent-Type: application/x-www-form-urlencoded\r\n${headers}\r\n`;

describe('bodies are refused at the limit, not read first', () => {
  it('answers an over-limit Content-Length at once, before any body byte', async () => {
    const { text, timedOut } = await exchange(post('Content-Length: 20000\r\n'));
    expect(timedOut).toBe(false);
    expect(text).toMatch(/^HTTP\/1\.1 413 /);
    expect(text).toMatch(/\r\nconnection: close\r\n/i);
  });

  it('does not invite an over-limit body with 100 Continue', async () => {
    const { text } = await exchange(post('Content-Length: 500000\r\nExpect: 100-continue\r\n'));
    expect(text).not.toMatch(/100 Continue/);
    expect(text).toMatch(/^HTTP\/1\.1 413 /);
  });

  it('still says 100 Continue to a body within the limit', async () => {
    const body = 'grant_type=client_credentials';
    const { text } = await exchange(
      post(`Content-Length: ${body.length}\r\nExpect: 100-continue\r\nConnection: close\r\n`),
      (write) => setTimeout(() => write(body), 100),
    );
    expect(text).toMatch(/^HTTP\/1\.1 100 Continue\r\n\r\nHTTP\/1\.1 401 /);
  });

  it('stops reading a chunked body at the limit and answers 413 without waiting for its end', async () => {
    const chunk = 'a'.repeat(8192);
    const { text, timedOut } = await exchange(post('Transfer-Encoding: chunked\r\n'), (write) => {
      for (let i = 0; i < 3; i++) write(`${chunk.length.toString(16)}\r\n${chunk}\r\n`);
      // ...and the body never ends.
    });
    expect(timedOut).toBe(false);
    expect(text).toMatch(/^HTTP\/1\.1 413 /);
  });
});

describe('an aborted upload is a client abort, not a server error', () => {
  it('logs status 499 client_aborted, and no error with a stack', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    const before = entries.length;
    await new Promise<void>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.on('error', () => {});
      socket.write(post('Content-Length: 100\r\n') + 'grant_type=');
      setTimeout(() => {
        socket.destroy();
        resolve();
      }, 100);
    });
    await vi.waitFor(() => expect(entries.length).toBeGreaterThan(before));
    expect(entries.at(-1)).toMatchObject({ status: 499, error: 'client_aborted', path: '/oauth/token' });
    expect(errors).not.toHaveBeenCalled();
    errors.mockRestore();
  });
});

describe('timeouts and a connection cap a browser never meets', () => {
  it('sets headers and request timeouts and a connection cap', () => {
    expect(server.headersTimeout).toBeGreaterThan(0);
    expect(server.headersTimeout).toBeLessThanOrEqual(20_000);
    expect(server.requestTimeout).toBeGreaterThan(0);
    expect(server.requestTimeout).toBeLessThanOrEqual(60_000);
    expect(server.maxConnections).toBe(20);
  });

  it('closes connections past the cap at once, and serves again when they go', async () => {
    const held = await Promise.all(
      Array.from(
        { length: 20 },
        () =>
          new Promise<ReturnType<typeof connect>>((resolve) => {
            const socket = connect(port, '127.0.0.1', () => resolve(socket));
            socket.on('error', () => {});
          }),
      ),
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    const refused = await exchange('GET / HTTP/1.1\r\nHost: localhost:4321\r\nConnection: close\r\n\r\n');
    expect(refused.text).toBe('');
    for (const socket of held) socket.destroy();
    await new Promise((resolve) => setTimeout(resolve, 100));
    const served = await exchange('GET / HTTP/1.1\r\nHost: localhost:4321\r\nConnection: close\r\n\r\n');
    expect(served.text).toMatch(/^HTTP\/1\.1 200 /);
  });
});

describe('DNS rebinding: on loopback, only loopback or SITE_URL host names are answered', () => {
  it.each([
    ['localhost:4321', 200],
    ['127.0.0.1', 200],
    ['[::1]:4321', 200],
    ['LOCALHOST', 200],
    ['evil.example', 421],
    ['evil.example:4321', 421],
    ['localhost.evil.example', 421],
    ['127.0.0.1.nip.io', 421],
  ])('Host: %s gets %d', async (host, status) => {
    for (const path of ['/', '/.well-known/oauth-authorization-server']) {
      const { text } = await exchange(`GET ${path} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`);
      expect(text.slice(0, 12)).toBe(`HTTP/1.1 ${status}`);
    }
  });
});

describe('allowedHostnames', () => {
  it('allows loopback names and the SITE_URL host when bound to loopback, and checks nothing otherwise', () => {
    expect([...allowedHostnames('https://guide.example.com', 'localhost')!].sort()).toEqual(
      ['127.0.0.1', '::1', '[::1]', 'guide.example.com', 'localhost'].sort(),
    );
    expect(allowedHostnames('http://localhost:4321', '0.0.0.0')).toBeUndefined();
    expect(allowedHostnames('http://localhost:4321', '192.0.2.10')).toBeUndefined();
    expect(allowedHostnames('http://localhost:4321', '::1')).toBeDefined();
  });
});
