import { sendExchange, type HttpExchange } from '../../lib/http-exchange.ts';
import {
  buildPlaygroundTokenRequest,
  readTokenRequestOutcome,
  type TokenRequestChoice,
  type TokenRequestOutcome,
} from '../token-request/token-request-exchange.ts';
import { $lastTokenExchange } from './playground-results.ts';
import { $token, recordRequestShape, type PlaygroundCredentials } from './playground-store.ts';

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
