import { authorizationServerMetadata } from './authorization/metadata.ts';
import { jsonResponse } from './http/json-response.ts';
import { OAuthError, errorResponse } from './http/oauth-error.ts';

/** What the sandbox needs from its host: nothing of Astro, nothing of node:http. */
export interface SandboxOptions {
  /** The public origin (no trailing slash): the `issuer`, and the base of every URL the sandbox publishes. */
  issuer: string;
}

/** Facts about the connection that a `Request` does not carry. */
export interface RequestContext {
  /** The client's IP address, for per-address rate limits. */
  clientAddress?: string;
}

export interface Sandbox {
  /** Answers one HTTP request. Never throws: every failure is a Response. */
  handle(request: Request, context?: RequestContext): Promise<Response>;
  /** Releases the store; the sandbox answers nothing after this. */
  close(): Promise<void>;
}

/** The path prefixes the sandbox owns; everything else belongs to the docs site. */
export const sandboxPathPrefixes = ['/.well-known/oauth-authorization-server', '/.well-known/oauth-protected-resource', '/oauth/', '/api/'] as const;

/** True when `pathname` is the sandbox's to answer. */
export function isSandboxPath(pathname: string): boolean {
  return sandboxPathPrefixes.some((prefix) => pathname === prefix.replace(/\/$/, '') || pathname.startsWith(prefix));
}

/** Creates a sandbox: the OAuth 2.0 authorization server and the protected sample API. */
export async function createSandbox(options: SandboxOptions): Promise<Sandbox> {
  const issuer = options.issuer.replace(/\/+$/, '');

  async function route(request: Request): Promise<Response> {
    const { pathname } = new URL(request.url);
    if (pathname === '/.well-known/oauth-authorization-server') {
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        throw new OAuthError('method_not_allowed', 405, 'Use GET.', { allow: 'GET, HEAD' });
      }
      return jsonResponse(authorizationServerMetadata(issuer));
    }
    throw new OAuthError('not_found', 404, 'No sandbox endpoint at this path. The list is at /.well-known/oauth-authorization-server.');
  }

  return {
    async handle(request) {
      try {
        return await route(request);
      } catch (error) {
        return errorResponse(error);
      }
    },
    async close() {},
  };
}
