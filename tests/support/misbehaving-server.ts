import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/**
 * One way a server can let a client down. A sample pointed at `${origin}/${mode}/oauth/token` and
 * `${origin}/${mode}/api/v1` meets it on every request.
 */
export const misbehaviours = [
  /** A proxy in front of the token endpoint answers with its own HTML error page. */
  'html-502',
  /** The authorization server refuses the client (RFC 6749 §5.2). */
  'invalid-client',
  /** The server accepts the connection and never answers. */
  'hang',
  /** A token answer without expires_in (RFC 6749 §5.1: RECOMMENDED, not REQUIRED). */
  'no-expires-in',
  /** The token endpoint redirects elsewhere: a client must not follow it with the secret. */
  'redirect',
] as const;

export type Misbehaviour = (typeof misbehaviours)[number];

export const invalidClientDescription = 'Client authentication failed: the client secret does not match.';

export interface MisbehavingServer {
  origin: string;
  /** The base URL of one case: `caseId` tells its requests apart from other cases' in `held()`. */
  baseUrl(mode: Misbehaviour, caseId: string): string;
  tokenUrl(mode: Misbehaviour, caseId: string): string;
  apiBaseUrl(mode: Misbehaviour, caseId: string): string;
  /**
   * How long the client of one case kept its requests open, in seconds: from the first request's
   * arrival to the last connection's close. For a hang, that is the client's own timeout,
   * whatever the machine's load did to its start-up.
   */
  held(caseId: string): Promise<number | undefined>;
  close(): Promise<void>;
}

function json(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  response.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers });
  response.end(JSON.stringify(body));
}

function answer(mode: Misbehaviour, path: string, request: IncomingMessage, response: ServerResponse) {
  const isToken = path === '/oauth/token';
  if (path === '/oauth/register' && (mode === 'invalid-client' || mode === 'no-expires-in')) {
    // RFC 7591 §3.2.1, so that a sample that registers first (the quickstart) reaches the token step.
    return json(response, 201, { client_id: 'misbehaving-client', client_secret: 'misbehaving-secret' });
  }
  switch (mode) {
    case 'hang':
      return; // never answers; close() ends the connection
    case 'html-502':
      response.writeHead(502, { 'content-type': 'text/html' });
      response.end(
        '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n',
      );
      return;
    case 'invalid-client':
      if (isToken)
        return json(
          response,
          401,
          { error: 'invalid_client', error_description: invalidClientDescription },
          { 'www-authenticate': 'Basic realm="sandbox"' },
        );
      break;
    case 'redirect':
      response.writeHead(302, { location: 'https://elsewhere.example/oauth/token' });
      response.end();
      return;
    case 'no-expires-in':
      if (isToken)
        return json(response, 200, { access_token: 'opaque-token-without-lifetime', token_type: 'Bearer' });
      break;
  }
  if (
    path.startsWith('/api/v1/') &&
    request.headers.authorization === 'Bearer opaque-token-without-lifetime'
  ) {
    return json(response, 200, { reports: [] });
  }
  json(response, 404, { error: 'not_found' });
}

/** Starts a server on a free port of 127.0.0.1 that misbehaves as the first path segment says. */
export async function startMisbehavingServer(): Promise<MisbehavingServer> {
  const sockets = new Set<Socket>();
  const cases = new Map<string, { firstArrival: number; open: number; lastClose?: number }>();
  const server: Server = createServer((request, response) => {
    const [, segment = '', ...rest] = (request.url ?? '/').split('?')[0]!.split('/');
    const [mode = '', caseId = ''] = segment.split('~');
    const path = `/${rest.join('/')}`;
    const timing = cases.get(caseId) ?? { firstArrival: performance.now(), open: 0 };
    cases.set(caseId, timing);
    timing.open++;
    request.socket.once('close', () => {
      timing.open--;
      timing.lastClose = performance.now();
    });
    // Read the whole body first, as a real server would.
    request.resume();
    request.on('end', () => {
      if (!(misbehaviours as readonly string[]).includes(mode))
        return json(response, 404, { error: 'not_found' });
      answer(mode as Misbehaviour, path, request, response);
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as { port: number };
  const origin = `http://127.0.0.1:${port}`;
  const baseUrl = (mode: Misbehaviour, caseId: string) => `${origin}/${mode}~${caseId}`;
  return {
    origin,
    baseUrl,
    tokenUrl: (mode, caseId) => `${baseUrl(mode, caseId)}/oauth/token`,
    apiBaseUrl: (mode, caseId) => `${baseUrl(mode, caseId)}/api/v1`,
    async held(caseId) {
      const timing = cases.get(caseId);
      if (!timing) return undefined;
      // The client has exited; its sockets' close events may still be on their way.
      for (let wait = 0; timing.open > 0 && wait < 40; wait++)
        await new Promise((resolve) => setTimeout(resolve, 50));
      return timing.open > 0 || timing.lastClose === undefined
        ? undefined
        : (timing.lastClose - timing.firstArrival) / 1000;
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
