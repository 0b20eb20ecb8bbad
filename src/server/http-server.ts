import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import {
  OAuthError,
  describeUnexpectedError,
  errorResponse,
  isSandboxRequest,
  type RequestObservations,
  type Sandbox,
} from '../sandbox/index.ts';
import { jsonLinesSandboxLogger } from './sandbox-logger.ts';
import { hostnameOf } from './host-check.ts';
import {
  BodyTooLargeError,
  ClientAbortedError,
  declaresTooLargeBody,
  requestTarget,
  sendWebResponse,
  toWebRequest,
} from './node-bridge.ts';
import type { ClientAddressResolver } from './client-address.ts';
import type { RequestLog } from './request-log.ts';
import { assetContentSecurityPolicy, siteSecurityHeaders } from './site-security-headers.ts';
import type { StaticSite } from './static-files.ts';
import type { SandboxHealth } from './deferred-sandbox.ts';

/** What the server routes between. */
export interface SiteServerParts {
  /** The public origin; sandbox requests are addressed at it, so the issuer sees the URL the client used. */
  origin: string;
  sandbox: Sandbox;
  site: StaticSite;
  /** Where one entry per request goes (start.ts: JSON lines on stdout); none by default. */
  requestLog?: RequestLog;
  /** Timeouts and the connection cap; defaults in {@link defaultServerLimits}. */
  limits?: Partial<ServerLimits>;
  /** The only Host names answered (421 otherwise); undefined answers any (see host-check.ts). */
  allowedHostnames?: ReadonlySet<string> | undefined;
  /** The client's address (behind trusted proxies, from X-Forwarded-For); default the socket's. */
  clientAddress?: ClientAddressResolver;
  /** The sandbox's health for `GET /health` (its store reachable or not); default always ok. */
  health?: (() => Promise<SandboxHealth>) | undefined;
}

/** The health check's path: for a load balancer or an operator, never cached. */
export const healthPath = '/health';

/** What bounds the server's connections: far above what a reader's browser does, well below a flood. */
export interface ServerLimits {
  /** Time to receive a request's headers (slowloris). */
  headersTimeoutMs: number;
  /** Time to receive a whole request, body included (slow uploads). */
  requestTimeoutMs: number;
  /** How often those two are checked. */
  connectionsCheckingIntervalMs: number;
  /** Open connections at once; more are closed on arrival. A browser opens about six per origin. */
  maxConnections: number;
}

export const defaultServerLimits: ServerLimits = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  connectionsCheckingIntervalMs: 2_000,
  maxConnections: 1_000,
};

/** The request log's status for a request whose client went away first (nginx's 499). */
export const clientAbortedStatus = 499;

/** What {@link serveSandbox} may add to the exchange. */
export interface SandboxExchange {
  /** Filled in by the sandbox: the client_id and error code, for the request log; `aborted` by the bridge. */
  observed?: (RequestObservations & { aborted?: boolean }) | undefined;
  /** Headers the host adds to the sandbox's answer (the request id), asked for when the answer is written. */
  responseHeaders?: () => Record<string, string>;
  /** The client's address, for the rate limits; default the socket's. */
  clientAddress?: ClientAddressResolver | undefined;
  /** The request's id; made here when the host has none (the dev server), and sent as `x-request-id`. */
  requestId?: string;
  /** The URL the request addressed (requestTarget), when the host has found it already. */
  href?: string | undefined;
}

/** Answers a sandbox path: node request → Web Request → sandbox.handle → node response. */
export async function serveSandbox(
  sandbox: Sandbox,
  origin: string,
  request: IncomingMessage,
  reply: ServerResponse,
  { observed, responseHeaders, clientAddress, requestId = randomUUID(), href }: SandboxExchange = {},
): Promise<void> {
  let response: Response;
  try {
    const webRequest = await toWebRequest(request, origin, href);
    response = await sandbox.handle(webRequest, {
      clientAddress: clientAddress ? clientAddress(request) : request.socket.remoteAddress,
      observed,
      requestId,
    });
  } catch (error) {
    if (error instanceof ClientAbortedError) {
      // Nobody to answer, and nothing went wrong here: the log says so, without a stack.
      reply.statusCode = clientAbortedStatus;
      if (observed) observed.aborted = true;
      reply.destroy();
      return;
    }
    const tooLarge = error instanceof BodyTooLargeError;
    response = errorResponse(
      tooLarge
        ? new OAuthError('invalid_request', 413, 'The request body is larger than the sandbox accepts.')
        : error,
      { siteUrl: origin, requestId, logger: jsonLinesSandboxLogger },
    );
    if (tooLarge) {
      if (observed) observed.error = 'invalid_request';
      // The rest of the body is never read: the connection ends with this answer.
      response.headers.set('connection', 'close');
    }
  }
  await sendWebResponse(
    response,
    reply,
    request.method,
    responseHeaders?.() ?? { 'x-request-id': requestId },
  );
}

/**
 * The production server: sandbox paths go to the sandbox's `handle`, everything else is a file of
 * the prerendered site. No framework sits on the sandbox's path, so it runs at node:http speed.
 * Every answer carries an `x-request-id`, the key to its line in the request log; site answers get
 * the security headers here (the sandbox sets its own, the static site its CSP).
 */
export function createSiteServer({
  origin,
  sandbox,
  site,
  requestLog,
  limits,
  allowedHostnames,
  clientAddress,
  health = async () => ({ status: 'ok', store: 'ok' }),
}: SiteServerParts): Server {
  const securityHeaders = Object.entries(siteSecurityHeaders(origin));
  const bounds = { ...defaultServerLimits, ...limits };
  const server = createServer(
    {
      headersTimeout: bounds.headersTimeoutMs,
      requestTimeout: bounds.requestTimeoutMs,
      connectionsCheckingInterval: bounds.connectionsCheckingIntervalMs,
    },
    (request, reply) => void answer(request, reply),
  );
  server.maxConnections = bounds.maxConnections;
  // Node answers Expect: 100-continue by itself unless this is listened for: a body the server
  // refuses unread (too large) must not be invited first (RFC 9110 §10.1.1).
  server.on('checkContinue', (request: IncomingMessage, reply: ServerResponse) => {
    if (!declaresTooLargeBody(request)) reply.writeContinue();
    void answer(request, reply);
  });
  return server;

  async function answer(request: IncomingMessage, reply: ServerResponse) {
    const startedAt = performance.now();
    const requestId = randomUUID();
    const observed: RequestObservations & { aborted?: boolean } = {};
    // After server.close() (SIGTERM), an answer closes its connection, so close() can finish:
    // decided when the answer is written, since a request may have started before.
    const responseHeaders = (): Record<string, string> =>
      server.listening ? { 'x-request-id': requestId } : { 'x-request-id': requestId, connection: 'close' };
    let pathname = '/';
    try {
      const target = requestTarget(request.url, origin);
      pathname = target.pathname;
      const host = request.headers.host;
      if (allowedHostnames && host !== undefined && !allowedHostnames.has(hostnameOf(host))) {
        // RFC 9110 §15.5.20: not a name this server answers for (DNS rebinding, see host-check.ts).
        reply.writeHead(421, {
          ...responseHeaders(),
          ...Object.fromEntries(securityHeaders),
          'content-type': 'text/plain; charset=utf-8',
          'content-security-policy': assetContentSecurityPolicy,
          connection: 'close',
        });
        reply.end('This server answers only for localhost and its SITE_URL.');
        return;
      }
      if (pathname === healthPath && (request.method === 'GET' || request.method === 'HEAD')) {
        // 200 when the sandbox can serve, 503 while its store cannot be reached; the docs are
        // static and serve either way, which the body says for an operator reading it.
        const state = await health();
        const body = JSON.stringify({ ...state, docs: 'ok' });
        reply.writeHead(state.status === 'ok' ? 200 : 503, {
          ...responseHeaders(),
          ...Object.fromEntries(securityHeaders),
          'content-type': 'application/json',
          'cache-control': 'no-store',
          'content-security-policy': assetContentSecurityPolicy,
        });
        reply.end(request.method === 'HEAD' ? undefined : body);
        return;
      }
      if (isSandboxRequest(pathname, request.method ?? 'GET', request.headers.authorization !== undefined))
        return await serveSandbox(sandbox, origin, request, reply, {
          observed,
          responseHeaders,
          clientAddress,
          requestId,
          href: target.href,
        });
      for (const [name, value] of Object.entries(responseHeaders())) reply.setHeader(name, value);
      for (const [name, value] of securityHeaders) reply.setHeader(name, value);
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        reply.writeHead(405, {
          allow: 'GET, HEAD',
          'content-type': 'text/plain; charset=utf-8',
          'content-security-policy': assetContentSecurityPolicy,
        });
        reply.end('Method not allowed');
        return;
      }
      if (!(await site.serve(request, reply, pathname))) await site.notFound(request, reply);
    } catch (error) {
      console.error(
        JSON.stringify({
          level: 'error',
          message: 'request failed',
          request_id: requestId,
          error: describeUnexpectedError(error),
        }),
      );
      if (!reply.headersSent)
        reply.writeHead(500, {
          'content-type': 'text/plain; charset=utf-8',
          'content-security-policy': assetContentSecurityPolicy,
        });
      reply.end();
    } finally {
      requestLog?.({
        requestId,
        method: request.method ?? '',
        path: pathname,
        status: reply.statusCode,
        durationMs: performance.now() - startedAt,
        clientId: observed.clientId,
        error: observed.aborted ? 'client_aborted' : observed.error,
      });
    }
  }
}
