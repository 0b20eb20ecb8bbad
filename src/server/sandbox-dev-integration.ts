import type { AstroIntegration } from 'astro';
import { createSandbox } from '../sandbox/sandbox.ts';
import { isSandboxPath } from '../sandbox/sandbox.ts';
import { readServerConfig } from './config.ts';
import { requestUrl } from './node-bridge.ts';
import { serveSandbox } from './http-server.ts';

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
        const sandbox = await createSandbox({ issuer: config.siteUrl });
        server.httpServer?.once('close', () => void sandbox.close());
        server.middlewares.use((request, reply, next) => {
          if (!isSandboxPath(requestUrl(request.url, config.siteUrl).pathname)) return next();
          serveSandbox(sandbox, config.siteUrl, request, reply).catch(next);
        });
        logger.info(`sandbox mounted (issuer ${config.siteUrl})`);
      },
    },
  };
}
