import { readFile, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { brotliCompress, constants as zlibConstants, gzip } from 'node:zlib';
import { promisify } from 'node:util';
import { assetContentSecurityPolicy, pagePolicyHeader } from './site-security-headers.ts';

const brotli = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.woff2': 'font/woff2',
  '.webmanifest': 'application/manifest+json',
  '.wasm': 'application/wasm',
  // The tools' downloads (src/pages/tools): the .http file, the Bruno collection.
  '.http': 'text/plain; charset=utf-8',
  '.zip': 'application/zip',
  // Pagefind's index fragments are already compressed binary files.
  '.pf_meta': 'application/octet-stream',
  '.pf_index': 'application/octet-stream',
  '.pf_fragment': 'application/octet-stream',
};

const compressible = new Set([
  '.html',
  '.css',
  '.js',
  '.mjs',
  '.json',
  '.xml',
  '.txt',
  '.svg',
  '.webmanifest',
  '.wasm',
  '.http',
]);

interface CachedFile {
  key: string;
  raw: Buffer;
  etag: string;
  br?: Buffer;
  /** The brotli quality 11 body, being computed in the background after a first quick answer. */
  denseBr?: Promise<void>;
  gzip?: Buffer;
  /** An HTML page's CSP header (its meta policy plus frame-ancestors), computed on first use. */
  pagePolicy?: string;
}

/** Where the built site lives and how to answer a path that is not in it. */
export interface StaticSite {
  /** Serves `pathname` from the build; returns false when no file matches (the caller answers 404). */
  serve(request: IncomingMessage, reply: ServerResponse, pathname: string): Promise<boolean>;
  /** Answers with the site's 404 page. */
  notFound(request: IncomingMessage, reply: ServerResponse): Promise<void>;
}

/** Picks the best encoding the client accepts: brotli, then gzip, else none. */
export function chooseEncoding(acceptEncoding: string | undefined): 'br' | 'gzip' | undefined {
  const accepted = new Map<string, number>();
  for (const part of (acceptEncoding ?? '').split(',')) {
    const [name = '', ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    accepted.set(name, q ? Number(q.slice(2)) || 0 : 1);
  }
  if ((accepted.get('br') ?? 0) > 0) return 'br';
  if ((accepted.get('gzip') ?? 0) > 0) return 'gzip';
  return undefined;
}

/**
 * RFC 9110 §13.1.2: If-None-Match is `*` or a list of entity tags, compared weakly (a `W/` prefix
 * ignored on either side). True when the file's current `etag` is among them.
 */
export function ifNoneMatchMatches(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  if (header.trim() === '*') return true;
  const opaque = (tag: string) => tag.trim().replace(/^W\//, '');
  const current = opaque(etag);
  return header.split(',').some((tag) => opaque(tag) === current);
}

/** The Cache-Control a built file gets: hashed assets forever, everything else revalidated. */
export function cacheControlFor(pathname: string): string {
  return pathname.startsWith('/_astro/')
    ? 'public, max-age=31536000, immutable'
    : 'public, max-age=0, must-revalidate';
}

/** Serves the prerendered site in `root` with compression, ETags and cache headers. */
export function createStaticSite(root: string): StaticSite {
  const cache = new Map<string, CachedFile>();

  /** Maps a URL path to a file path inside root, or undefined for a path that tries to leave it. */
  function resolvePath(pathname: string): string | undefined {
    let decoded: string;
    try {
      decoded = decodeURIComponent(pathname);
    } catch {
      return undefined;
    }
    if (decoded.includes('\0')) return undefined;
    const relative = normalize(decoded).replace(/^([/\\])+/, '');
    if (relative.split(sep).includes('..')) return undefined;
    return join(root, relative);
  }

  async function load(file: string): Promise<CachedFile | undefined> {
    const info = await stat(file).catch(() => undefined);
    if (!info?.isFile()) return undefined;
    const key = `${info.size}-${info.mtimeMs}`;
    const hit = cache.get(file);
    if (hit?.key === key) return hit;
    const entry: CachedFile = {
      key,
      raw: await readFile(file),
      etag: `W/"${info.size.toString(16)}-${Math.floor(info.mtimeMs).toString(16)}"`,
    };
    cache.set(file, entry);
    return entry;
  }

  async function send(
    request: IncomingMessage,
    reply: ServerResponse,
    file: string,
    entry: CachedFile,
    status: number,
    pathname: string,
  ) {
    const extension = extname(file);
    const headers: Record<string, string> = {
      'content-type': contentTypes[extension] ?? 'application/octet-stream',
      'cache-control': status === 200 ? cacheControlFor(pathname) : 'no-store',
      etag: entry.etag,
      'content-security-policy':
        extension === '.html'
          ? (entry.pagePolicy ??= pagePolicyHeader(entry.raw.toString('utf8')))
          : assetContentSecurityPolicy,
    };
    // RFC 9110 §15.4.5: a 304 carries the Vary the 200 would have.
    if (compressible.has(extension)) headers.vary = 'Accept-Encoding';
    if (status === 200 && ifNoneMatchMatches(request.headers['if-none-match'], entry.etag)) {
      reply.writeHead(304, headers);
      reply.end();
      return;
    }
    let body = entry.raw;
    if (compressible.has(extension)) {
      const encoding = chooseEncoding(request.headers['accept-encoding']);
      if (encoding === 'br') {
        if (!entry.br) {
          // Quality 11 took seconds on the code pages (a 1.7 MB page) for the first reader; quality
          // 5 takes milliseconds and is about 10% larger. The dense body replaces it once it is
          // ready, computed on libuv's thread pool while the server answers.
          entry.br = await brotli(entry.raw, { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 5 } });
          entry.denseBr ??= brotli(entry.raw, { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 11 } }).then(
            (dense) => {
              if (cache.get(file) === entry) entry.br = dense;
            },
            () => undefined,
          );
        }
        body = entry.br;
      } else if (encoding === 'gzip') {
        entry.gzip ??= await gzipAsync(entry.raw, { level: 9 });
        body = entry.gzip;
      }
      if (encoding) headers['content-encoding'] = encoding;
    }
    headers['content-length'] = String(body.length);
    reply.writeHead(status, headers);
    reply.end(request.method === 'HEAD' ? undefined : body);
  }

  return {
    async serve(request, reply, pathname) {
      const file = resolvePath(pathname);
      if (!file) return false;
      if (pathname.endsWith('/')) {
        const index = join(file, 'index.html');
        const entry = await load(index);
        if (!entry) return false;
        await send(request, reply, index, entry, 200, pathname);
        return true;
      }
      const entry = await load(file);
      if (entry) {
        await send(request, reply, file, entry, 200, pathname);
        return true;
      }
      // "/errors" → "/errors/": pages are directories, and one URL per page keeps links and search canonical.
      if (await load(join(file, 'index.html'))) {
        const query = request.url?.includes('?') ? request.url.slice(request.url.indexOf('?')) : '';
        // Leading slashes collapsed: "//host" would be a protocol-relative redirect off-site.
        reply.writeHead(308, {
          location: `/${pathname.replace(/^\/+/, '')}/${query}`,
          'cache-control': 'public, max-age=3600',
          'content-security-policy': assetContentSecurityPolicy,
        });
        reply.end();
        return true;
      }
      return false;
    },
    async notFound(request, reply) {
      const page = join(root, '404.html');
      const entry = await load(page);
      if (entry) return send(request, reply, page, entry, 404, '/404.html');
      reply.writeHead(404, {
        'content-type': 'text/plain; charset=utf-8',
        'content-security-policy': assetContentSecurityPolicy,
      });
      reply.end('Not found');
    },
  };
}
