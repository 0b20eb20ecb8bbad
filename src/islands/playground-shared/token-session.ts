import { sendExchange, type HttpExchange } from '../../lib/http-exchange.ts';
import { refreshMomentMs } from '../../lib/client-credentials-token-source.ts';
import {
  buildPlaygroundTokenRequest,
  readTokenRequestOutcome,
  type TokenRequestChoice,
  type TokenRequestOutcome,
} from '../token-request/token-request-exchange.ts';
import {
  $lastTokenExchange,
  $token,
  recordRequestShape,
  type PlaygroundCredentials,
  type PlaygroundToken,
} from './playground-store.ts';

/**
 * Requests a token for the current credentials and makes it the playground's token: step 2, the
 * session bar's "Get a new token", Auto-renew and the errors' one-click fixes all go through here,
 * so every island shows the same last request.
 */
export async function requestPlaygroundToken(
  credentials: PlaygroundCredentials,
  choice: TokenRequestChoice,
): Promise<{ exchange: HttpExchange; outcome: TokenRequestOutcome }> {
  const requestedAt = Date.now();
  const exchange = await sendExchange(buildPlaygroundTokenRequest(credentials, choice));
  const outcome = readTokenRequestOutcome(exchange, requestedAt);
  $lastTokenExchange.set(exchange);
  recordRequestShape({ kind: 'token', authMethod: choice.authMethod, scopes: [...choice.scopes] });
  if (outcome.ok) $token.set(outcome.token);
  return { exchange, outcome };
}

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
