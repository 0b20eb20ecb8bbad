import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, brotliDecompressSync, constants as zlibConstants, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cacheControlFor, chooseEncoding, createStaticSite } from '../../../src/server/static-files.ts';

describe('chooseEncoding', () => {
  it.each([
    ['br, gzip', 'br'],
    ['gzip, deflate', 'gzip'],
    ['gzip;q=1, br;q=0', 'gzip'],
    ['identity', undefined],
    ['', undefined],
    [undefined, undefined],
  ])('%j → %s', (header, expected) => {
    expect(chooseEncoding(header)).toBe(expected);
  });
});

describe('cacheControlFor', () => {
  it('caches hashed assets for a year and revalidates the rest', () => {
    expect(cacheControlFor('/_astro/page.abc123.js')).toBe('public, max-age=31536000, immutable');
    expect(cacheControlFor('/flow/')).toBe('public, max-age=0, must-revalidate');
    expect(cacheControlFor('/favicon.svg')).toBe('public, max-age=0, must-revalidate');
  });
});

describe('createStaticSite', () => {
  let server: Server;
  let origin: string;
  const page = '<!doctype html><title>Flow</title>' + 'text '.repeat(200);

  beforeAll(async () => {
    const root = mkdtempSync(join(tmpdir(), 'static-site-'));
    mkdirSync(join(root, 'flow'));
    mkdirSync(join(root, '_astro'));
    writeFileSync(join(root, 'index.html'), '<!doctype html><title>Home</title>');
    writeFileSync(join(root, 'flow', 'index.html'), page);
    writeFileSync(join(root, '404.html'), '<!doctype html><title>Page not found</title>');
    writeFileSync(join(root, '_astro', 'app.1234.js'), 'console.log(1);'.repeat(50));
    writeFileSync(join(root, '..', 'secret-outside-root.txt'), 'secret');
    const site = createStaticSite(root);
    const answer = async (request: IncomingMessage, reply: ServerResponse) => {
      const pathname = new URL(`http://x${request.url}`).pathname;
      if (!(await site.serve(request, reply, pathname))) await site.notFound(request, reply);
    };
    server = createServer((request, reply) => void answer(request, reply));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    origin = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('serves a page with brotli or gzip as the client accepts', async () => {
    const br = await fetch(`${origin}/flow/`, { headers: { 'accept-encoding': 'br' } });
    expect(br.status).toBe(200);
    expect(br.headers.get('content-encoding')).toBe('br');
    expect(br.headers.get('vary')).toBe('Accept-Encoding');
    expect(br.headers.get('content-type')).toBe('text/html; charset=utf-8');
    // fetch decodes the body itself: the text must be the page.
    expect(await br.text()).toBe(page);

    const { get } = await import('node:http');
    const raw = await new Promise<Buffer>((resolve, reject) => {
      get(`${origin}/flow/`, { headers: { 'accept-encoding': 'gzip' } }, (response) => {
        expect(response.headers['content-encoding']).toBe('gzip');
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve(Buffer.concat(chunks)));
      }).on('error', reject);
    });
    expect(gunzipSync(raw).toString()).toBe(page);
    expect(raw.length).toBeLessThan(page.length);
    expect(brotliDecompressSync).toBeTypeOf('function');
  });

  it('answers the first brotli request at once, then with the quality 11 body once it is ready', async () => {
    const { get } = await import('node:http');
    const rawBody = () =>
      new Promise<Buffer>((resolve, reject) => {
        get(`${origin}/_astro/app.1234.js`, { headers: { 'accept-encoding': 'br' } }, (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => resolve(Buffer.concat(chunks)));
        }).on('error', reject);
      });
    const source = 'console.log(1);'.repeat(50);
    const dense = brotliCompressSync(source, { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 11 } });
    const quick = brotliCompressSync(source, { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 5 } });
    expect(dense.equals(quick)).toBe(false);
    const first = await rawBody();
    expect(brotliDecompressSync(first).toString()).toBe(source);
    expect(first.equals(quick)).toBe(true);
    await expect.poll(async () => (await rawBody()).equals(dense)).toBe(true);
  });

  it('answers a matching If-None-Match with 304', async () => {
    const first = await fetch(`${origin}/flow/`);
    const etag = first.headers.get('etag');
    expect(etag).toBeTruthy();
    const second = await fetch(`${origin}/flow/`, { headers: { 'if-none-match': etag! } });
    expect(second.status).toBe(304);
  });

  it.each([
    ['a list with it', (etag: string) => `W/"other", ${etag}`],
    ['*', () => '*'],
    ['its strong form', (etag: string) => etag.replace(/^W\//, '')],
  ])('answers If-None-Match with %s by 304, with the Vary of the 200', async (_case, header) => {
    const first = await fetch(`${origin}/flow/`);
    const etag = first.headers.get('etag')!;
    const second = await fetch(`${origin}/flow/`, { headers: { 'if-none-match': header(etag) } });
    expect(second.status).toBe(304);
    expect(second.headers.get('vary')).toBe(first.headers.get('vary'));
    expect(second.headers.get('vary')).toBe('Accept-Encoding');
    const other = await fetch(`${origin}/flow/`, { headers: { 'if-none-match': 'W/"other", W/"more"' } });
    expect(other.status).toBe(200);
  });

  it('caches hashed assets as immutable', async () => {
    const response = await fetch(`${origin}/_astro/app.1234.js`);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(response.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
  });

  it('redirects a directory path without its slash, and never off-site', async () => {
    const response = await fetch(`${origin}/flow`, { redirect: 'manual' });
    expect(response.status).toBe(308);
    expect(response.headers.get('location')).toBe('/flow/');
  });

  it.each(['/nope/', '/../secret-outside-root.txt', '/%2e%2e/secret-outside-root.txt', '/%00', '/%E0%A4%A'])(
    'answers %s with the 404 page',
    async (path) => {
      const response = await fetch(`${origin}${path}`);
      expect(response.status).toBe(404);
      expect(await response.text()).toContain('Page not found');
    },
  );
});
