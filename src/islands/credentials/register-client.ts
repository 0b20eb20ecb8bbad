import type { ExchangeOptions } from '../../lib/http-exchange.ts';
import { responseJson } from '../../lib/http-message.ts';
import { explainRegistrationError, type ErrorExplanation } from '../../lib/oauth-error-explanations.ts';
import {
  buildRegistrationRequest,
  callSandbox,
  processRegistrationResponse,
  type RegisteredClient,
  type RegistrationParameters,
  type SandboxCallOutcome,
} from '../../lib/sandbox-contract/index.ts';
import type { PlaygroundCredentials } from '../playground-shared/playground-store.ts';

/**
 * Registering the playground's client. The Credentials island imports this module when the reader
 * presses "Register a client", so none of it weighs on the page before that.
 */

/** The outcome of a registration: what was sent and received, and the client or the error. */
export type RegistrationOutcome = SandboxCallOutcome<RegisteredClient>;

/** Registers a disposable sandbox client (RFC 7591) and reads the answer. */
export function registerSandboxClient(
  parameters: RegistrationParameters,
  options: ExchangeOptions = {},
): Promise<RegistrationOutcome> {
  return callSandbox(buildRegistrationRequest(parameters), processRegistrationResponse, options);
}

/** The playground's credentials from a registered client. */
export function credentialsFromRegistration(client: RegisteredClient): PlaygroundCredentials {
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
  return response && !outcome.ok
    ? explainRegistrationError(response.status, responseJson(response))
    : undefined;
}
