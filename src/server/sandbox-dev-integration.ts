import type { AstroIntegration } from 'astro';
import type { Connect } from 'vite';
import { createSandbox, isSandboxRequest } from '../sandbox/index.ts';
import { jsonLinesSandboxLogger } from './sandbox-logger.ts';
import { createClientAddressResolver } from './client-address.ts';
import { readServerConfig, sandboxOptionsFrom } from './config.ts';
import { openConfiguredStore } from './configured-store.ts';
import { requestUrl } from './node-bridge.ts';
import { serveSandbox } from './http-server.ts';
import { frameAncestors, siteSecurityHeaders } from './site-security-headers.ts';

/**
 * The dev server's pages get the security headers that do not depend on the build: Vite's dev
 * client injects scripts Astro does not hash (Astro's CSP is for builds only), so the dev policy
 * holds only the directives that cannot break it.
 */
const devPageHeaders = {
  'content-security-policy': ["object-src 'none'", "base-uri 'none'", frameAncestors].join('; '),
};

/**
 * Serves the sandbox inside `astro dev`, at the same paths as `npm start`, so the playground works
 * while the guide is being written. The production server does not use this.
 */
export function sandboxDevIntegration(): AstroIntegration {
  return {
    name: 'sandbox-dev-server',
    hooks: {
      'astro:server:setup': async ({ server, logger }) => {
        const config = readServerConfig();
        const store = await openConfiguredStore(config);
        const sandbox = await createSandbox({
          ...sandboxOptionsFrom(config),
          store,
          logger: jsonLinesSandboxLogger,
        });
        const clientAddress = createClientAddressResolver(config.sandboxTrustedProxies);
        const pageHeaders = Object.entries({ ...siteSecurityHeaders(config.siteUrl), ...devPageHeaders });
        server.httpServer?.once('close', () => void sandbox.close());
        const sandboxMiddleware: Connect.NextHandleFunction = (request, reply, next) => {
          const pathname = requestUrl(request.url, config.siteUrl).pathname;
          if (
            !isSandboxRequest(pathname, request.method ?? 'GET', request.headers.authorization !== undefined)
          ) {
            for (const [name, value] of pageHeaders) reply.setHeader(name, value);
            return next();
          }
          serveSandbox(sandbox, config.siteUrl, request, reply, { clientAddress }).catch(next);
        };
        // First in the stack: Astro's own dev middleware (trailing-slash redirects, 404 pages)
        // must not see sandbox paths, which follow the sandbox contract, not the site's. Astro
        // puts its middleware first in a post hook, so ours goes in front once the server listens.
        server.httpServer?.once('listening', () =>
          server.middlewares.stack.unshift({ route: '', handle: sandboxMiddleware }),
        );
        logger.info(`sandbox mounted (issuer ${config.siteUrl})`);
      },
    },
  };
}
