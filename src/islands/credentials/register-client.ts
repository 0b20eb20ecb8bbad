import {
  buildRegistrationRequest,
  processRegistrationResponse,
  type RegistrationParameters,
  type RegistrationResult,
} from '../../lib/client-registration.ts';
import { sendExchange, type ExchangeOptions, type HttpExchange } from '../../lib/http-exchange.ts';
import { responseJson } from '../../lib/http-message.ts';
import { explainRegistrationError, type ErrorExplanation } from '../../lib/oauth-error-explanations.ts';
import type { PlaygroundCredentials } from '../playground-shared/playground-store.ts';

/**
 * Registering the playground's client. The Credentials island imports this module when the reader
 * presses "Register a client", so none of it weighs on the page before that.
 */

/** The outcome of a registration: what was sent and received, and the client or the error. */
export interface RegistrationOutcome {
  exchange: HttpExchange;
  result: RegistrationResult;
}

/** Registers a disposable sandbox client (RFC 7591) and reads the answer. */
export async function registerSandboxClient(
  parameters: RegistrationParameters,
  options: ExchangeOptions = {},
): Promise<RegistrationOutcome> {
  const exchange = await sendExchange(buildRegistrationRequest(parameters), options);
  if (!exchange.response) {
    return {
      exchange,
      result: {
        ok: false,
        status: 0,
        error: undefined,
        message: `The sandbox could not be reached: ${exchange.networkError}.`,
      },
    };
  }
  return {
    exchange,
    result: processRegistrationResponse(exchange.response.status, responseJson(exchange.response)),
  };
}

/** The playground's credentials from a registered client. */
export function credentialsFromRegistration(
  result: Extract<RegistrationResult, { ok: true }>,
): PlaygroundCredentials {
  const { client } = result;
  return {
    clientId: client.clientId,
    clientSecret: client.clientSecret,
    source: 'registered',
    authMethod: client.tokenEndpointAuthMethod,
    scopes: client.scopes,
    lifetimeSeconds: client.accessTokenLifetime,
    secretExpiresAt: client.clientSecretExpiresAt,
    ...(client.registrationAccessToken !== undefined
      ? { registrationAccessToken: client.registrationAccessToken }
      : {}),
    ...(client.registrationClientUri !== undefined
      ? { registrationClientUri: client.registrationClientUri }
      : {}),
  };
}

/** The registration's error, explained, when the sandbox answered one. */
export function explainRegistrationOutcome(outcome: RegistrationOutcome): ErrorExplanation | undefined {
  const response = outcome.exchange.response;
  return response && !outcome.result.ok
    ? explainRegistrationError(response.status, responseJson(response))
    : undefined;
}
