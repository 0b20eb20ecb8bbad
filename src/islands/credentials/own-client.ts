import type { ClientSecretAuthMethod } from '../../lib/sandbox-contract/index.ts';
import type { PlaygroundCredentials } from '../playground-shared/playground-store.ts';

/**
 * "Use my own client": reading what the reader typed, and what the sandbox's answer to a token
 * request with it says. Loaded with the form, only when the reader opens it.
 */

/** What the reader typed under "use my own". */
export interface OwnCredentialsInput {
  clientId: string;
  clientSecret: string;
  authMethod: ClientSecretAuthMethod;
  scopes: readonly string[];
}

/**
 * Checks pasted credentials: both present, no white space inside (a frequent copy-and-paste
 * accident; RFC 6749 §2.3.1's characters never include it in practice). Surrounding white space
 * is trimmed. Returns the credentials, or a sentence naming the field that is wrong.
 */
export function readOwnCredentials(
  input: OwnCredentialsInput,
): PlaygroundCredentials | { problem: string; field: 'clientId' | 'clientSecret' } {
  const clientId = input.clientId.trim();
  const clientSecret = input.clientSecret.trim();
  if (clientId === '') return { problem: 'Enter the client ID.', field: 'clientId' };
  if (/\s/.test(clientId))
    return { problem: 'The client ID contains white space: copy it again.', field: 'clientId' };
  if (clientSecret === '') return { problem: 'Enter the client secret.', field: 'clientSecret' };
  if (/\s/.test(clientSecret))
    return { problem: 'The client secret contains white space: copy it again.', field: 'clientSecret' };
  return { clientId, clientSecret, source: 'own', authMethod: input.authMethod, scopes: [...input.scopes] };
}

/** What a verifying token request says about pasted credentials. */
export type OwnClientCheck =
  | { ok: true; credentials: PlaygroundCredentials }
  | { ok: false; field: 'clientId' | 'clientSecret' | 'authMethod' | undefined; problem: string };

/**
 * "Use my own client" says Ready only once the sandbox has accepted the credentials: a token
 * request with them (RFC 6749 §4.4.2) either succeeds, and its `scope` names what the client is
 * registered with, or fails, and the failure is put beside the field it concerns.
 */
export function checkOwnClient(
  candidate: PlaygroundCredentials,
  outcome:
    | { ok: true; token: { scope?: string } }
    | { ok: false; code: string | undefined; status: number | undefined; description: string | undefined },
): OwnClientCheck {
  if (outcome.ok) {
    const scopes = outcome.token.scope?.split(' ').filter((scope) => scope !== '');
    return { ok: true, credentials: { ...candidate, ...(scopes ? { scopes } : {}) } };
  }
  if (outcome.status === undefined)
    return {
      ok: false,
      field: undefined,
      problem: 'The sandbox could not be reached to check these credentials: try again in a moment.',
    };
  if (outcome.code === 'invalid_client') {
    // The sandbox's description says which it was; without one, the secret is the likelier slip.
    const description = outcome.description ?? '';
    if (/method|client_secret_basic|client_secret_post/i.test(description))
      return {
        ok: false,
        field: 'authMethod',
        problem: `The sandbox refused this method for this client: ${description}`,
      };
    if (/unknown|not registered|no client|expired/i.test(description))
      return {
        ok: false,
        field: 'clientId',
        problem: `The sandbox does not know this client ID${description ? `: ${description}` : '.'}`,
      };
    return {
      ok: false,
      field: 'clientSecret',
      problem: `The sandbox refused this secret for this client ID${description ? `: ${description}` : '.'}`,
    };
  }
  if (outcome.status === 429)
    return {
      ok: false,
      field: undefined,
      problem: 'Too many failed attempts from this address: wait a minute, then try again.',
    };
  return {
    ok: false,
    field: undefined,
    problem: `The sandbox refused a token request with these credentials: HTTP ${outcome.status}${outcome.code ? ` ${outcome.code}` : ''}.`,
  };
}
