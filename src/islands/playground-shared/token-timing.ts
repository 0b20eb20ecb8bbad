import { refreshMomentMs } from '../../lib/token-refresh-moment.ts';
import type { TokenRequestChoice } from '../token-request/token-request-exchange.ts';
import type { PlaygroundCredentials, PlaygroundToken } from './playground-store.ts';

/**
 * The current token's timing, light enough for the session bar to load with the page; the token
 * request itself (token-session.ts) loads when a button needs it.
 */

/** The token request a reader means by "a new token": the client's own method, every scope it has. */
export function defaultTokenChoice(credentials: PlaygroundCredentials): TokenRequestChoice {
  return { authMethod: credentials.authMethod, scopes: [] };
}

/** When the token stops working, in ms since the epoch, from `expires_in` counted from the request. */
export function tokenExpiresAt(token: PlaygroundToken): number | undefined {
  return token.expiresInSeconds === undefined ? undefined : token.requestedAt + token.expiresInSeconds * 1000;
}

/** When Auto-renew asks for the next token: the reference client's rule (src/lib/client-credentials-token-source.ts). */
export function tokenRenewAt(token: PlaygroundToken): number | undefined {
  const expiresAt = tokenExpiresAt(token);
  return expiresAt === undefined || token.expiresInSeconds === undefined
    ? undefined
    : refreshMomentMs(expiresAt, token.expiresInSeconds * 1000);
}
