import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { OAuthError, errorResponse } from '../sandbox/http/oauth-error.ts';
import { isSandboxPath, type Sandbox } from '../sandbox/sandbox.ts';
import { BodyTooLargeError, requestUrl, sendWebResponse, toWebRequest } from './node-bridge.ts';
import type { StaticSite } from './static-files.ts';

/** What the server routes between. */
export interface SiteServerParts {
  /** The public origin; sandbox requests are addressed at it, so the issuer sees the URL the client used. */
  origin: string;
  sandbox: Sandbox;
  site: StaticSite;
}

/** Answers a sandbox path: node request → Web Request → sandbox.handle → node response. */
export async function serveSandbox(sandbox: Sandbox, origin: string, request: IncomingMessage, reply: ServerResponse): Promise<void> {
  let response: Response;
  try {
    const webRequest = await toWebRequest(request, origin);
    response = await sandbox.handle(webRequest, { clientAddress: request.socket.remoteAddress });
  } catch (error) {
    response = errorResponse(
      error instanceof BodyTooLargeError ? new OAuthError('invalid_request', 413, 'The request body is larger than the sandbox accepts.') : error,
    );
  }
  await sendWebResponse(response, reply, request.method);
}

/**
 * The production server: sandbox paths go to the sandbox's `handle`, everything else is a file of
 * the prerendered site. No framework sits on the sandbox's path, so it runs at node:http speed.
 */
export function createSiteServer({ origin, sandbox, site }: SiteServerParts): Server {
  return createServer(async (request, reply) => {
    try {
      const pathname = requestUrl(request.url, origin).pathname;
      if (isSandboxPath(pathname)) return await serveSandbox(sandbox, origin, request, reply);
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        reply.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' });
        reply.end('Method not allowed');
        return;
      }
      if (!(await site.serve(request, reply, pathname))) await site.notFound(request, reply);
    } catch (error) {
      console.error(JSON.stringify({ level: 'error', message: 'request failed', error: String(error) }));
      if (!reply.headersSent) reply.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
      reply.end();
    }
  });
}
