import { createHash, timingSafeEqual } from 'node:crypto';
import { parseBasicCredentials } from '../../lib/basic-auth.ts';
import { epochSeconds, type Clock } from '../clock.ts';
import { formParameter, type FormParameters } from '../http/form.ts';
import { OAuthError } from '../http/oauth-error.ts';
import type { RateLimiter } from '../http/rate-limit.ts';
import type { AuthenticationOutcome, EndpointContext, InspectionTrace } from '../http/request-context.ts';
import type { ClientRecord, Store, TokenEndpointAuthMethod } from '../store/store.ts';

/** The realm of the Basic challenge that comes with every `invalid_client` (RFC 6749 §5.2). */
export const clientRealm = 'sandbox';

/**
 * Hashes a client secret for storage and comparison. SHA-256 and not a slow password hash: the
 * sandbox generates every secret with 256 bits of randomness, so there is nothing to brute-force,
 * and a slow hash would cost every token request milliseconds.
 */
export function hashClientSecret(secret: string): Uint8Array {
  return createHash('sha256').update(secret, 'utf8').digest();
}

/**
 * For the request inspector, when the client_id names no client: was it the secret (the two
 * swapped), or a client_id with whitespace around it? Either way the credentials name a
 * registered client, whose journal gets the entry. Runs on this failure path only.
 */
async function diagnoseUnknownClient(
  store: Store,
  clientId: string,
  secret: string,
  trace: InspectionTrace,
): Promise<void> {
  const authentication = trace.authentication!;
  const trimmed = clientId.trim();
  if (trimmed !== clientId && trimmed !== '') {
    const client = await store.findClient(trimmed);
    if (client) {
      authentication.clientId = client.clientId;
      authentication.registeredMethod = client.tokenEndpointAuthMethod;
      authentication.clientIdWhitespace = true;
      return;
    }
  }
  const named = secret.length <= 256 ? await store.findClient(secret.trim()) : undefined;
  if (named && timingSafeEqual(hashClientSecret(clientId.trim()), named.secretHash)) {
    authentication.clientId = named.clientId;
    authentication.registeredMethod = named.tokenEndpointAuthMethod;
    authentication.swapped = true;
  }
}

/** Compared against when the client_id is unknown, so that case takes as long as a wrong secret. */
const unknownClientHash = hashClientSecret('no client has this secret');

/** Authenticates the client of a token, introspection or revocation request. */
export type ClientAuthenticator = (
  request: Request,
  form: FormParameters,
  context: EndpointContext,
) => Promise<ClientRecord>;

/** What {@link createClientAuthenticator} needs. */
export interface ClientAuthenticationOptions {
  store: Store;
  clock: Clock;
  /**
   * Failed authentications per (client address, client): guessing one client's secret is cut off
   * without touching the other clients used from the same address (a classroom behind one NAT).
   * Credentials that name no registered client share one allowance per address, so inventing
   * client_ids buys no fresh allowance.
   */
  failuresPerClient: RateLimiter;
  /** Failed authentications per client address, all clients together: a higher bound against spraying many clients. */
  failuresPerAddress: RateLimiter;
}

const methodAdvice: Record<TokenEndpointAuthMethod, string> = {
  client_secret_basic:
    'This client is registered for client_secret_basic: send client_id and client_secret in the Authorization header (HTTP Basic), not in the form body.',
  client_secret_post:
    'This client is registered for client_secret_post: send client_id and client_secret as form parameters, not in an Authorization header.',
};

/**
 * Creates the client authenticator of RFC 6749 §2.3.1: `client_secret_basic` (Basic header,
 * form-urlencoded before base64) or `client_secret_post` (form parameters), never both (§2.3),
 * and only the method the client registered. Every failure is 401 `invalid_client` with a Basic
 * challenge (§5.2) and counts against the rate limits; a spent limit is 429 before the secret is
 * compared, so guessing stops.
 */
export function createClientAuthenticator({
  store,
  clock,
  failuresPerClient,
  failuresPerAddress,
}: ClientAuthenticationOptions): ClientAuthenticator {
  return async (request, form, { clientAddress, observed, trace }) => {
    failuresPerAddress.check(clientAddress);
    // Failures that name no registered client share the address's "unidentified" allowance.
    let clientKey = `${clientAddress} `;
    // For the request inspector: how this ended, never a value.
    const outcome = (value: AuthenticationOutcome) => {
      if (trace) trace.authentication = { ...trace.authentication, outcome: value };
    };
    const fail = (description: string): never => {
      failuresPerClient.check(clientKey);
      failuresPerAddress.record(clientAddress);
      failuresPerClient.record(clientKey);
      throw new OAuthError('invalid_client', 401, description, {
        challenge: { scheme: 'Basic', params: { realm: clientRealm } },
      });
    };

    const header = request.headers.get('authorization');
    const bodyClientId = formParameter(form, 'client_id');
    const bodySecret = formParameter(form, 'client_secret');
    let clientId: string;
    let secret: string;
    let method: TokenEndpointAuthMethod;

    if (header !== null) {
      const parsed = parseBasicCredentials(header);
      if (!parsed.ok) {
        outcome(parsed.problem === 'not_basic' ? 'other_scheme' : 'malformed_basic');
        return fail(
          parsed.problem === 'not_basic'
            ? 'Client authentication uses HTTP Basic (RFC 6749 section 2.3.1); the Authorization header has another scheme.'
            : 'The Basic credentials are malformed: they must be base64 of client_id:client_secret, each form-urlencoded first (RFC 6749 section 2.3.1).',
        );
      }
      // RFC 6749 §2.3 and §5.2: more than one authentication method is invalid_request.
      if (bodySecret !== undefined) {
        outcome('both');
        throw new OAuthError(
          'invalid_request',
          400,
          'The client authenticated twice: with HTTP Basic and with client_secret in the body. Use one method.',
        );
      }
      // RFC 6749 §3.2.1 lets a client name itself with client_id; it must be the same client.
      if (bodyClientId !== undefined && bodyClientId !== parsed.credentials.clientId) {
        outcome('client_id_mismatch');
        throw new OAuthError(
          'invalid_request',
          400,
          'The client_id in the body is not the one in the Authorization header.',
        );
      }
      ({ clientId, clientSecret: secret } = parsed.credentials);
      method = 'client_secret_basic';
    } else if (bodyClientId !== undefined && bodySecret !== undefined) {
      clientId = bodyClientId;
      secret = bodySecret;
      method = 'client_secret_post';
    } else if (bodyClientId !== undefined) {
      outcome('secret_missing');
      return fail(
        'The client_id alone does not authenticate a client: add its client_secret, or use HTTP Basic.',
      );
    } else if (bodySecret !== undefined) {
      outcome('client_id_missing');
      return fail('The client_secret was sent without its client_id.');
    } else {
      outcome('none');
      return fail(
        'No client authentication. Send client_id and client_secret with HTTP Basic (RFC 6749 section 2.3.1).',
      );
    }

    if (trace) trace.authentication = { method, outcome: 'ok' };
    const client = await store.findClient(clientId);
    if (client) {
      if (trace?.authentication) {
        trace.authentication.clientId = client.clientId;
        trace.authentication.registeredMethod = client.tokenEndpointAuthMethod;
      }
      // A registered client_id is not a secret: the log may name it, and it gets its own allowance.
      observed.clientId = client.clientId;
      clientKey = `${clientAddress} ${client.clientId}`;
    }
    // A spent allowance is 429 before the secret is compared, even for the right secret: guessing stops.
    failuresPerClient.check(clientKey);
    // RFC 6749 §2.3.1 / §10.10: compare in constant time, and hash even for an unknown client.
    const matches = timingSafeEqual(hashClientSecret(secret), client?.secretHash ?? unknownClientHash);
    if (!client) {
      if (trace) await diagnoseUnknownClient(store, clientId, secret, trace);
      outcome('unknown_client');
      return fail(
        'Unknown client_id. Sandbox clients expire 24 hours after registration: register a new one.',
      );
    }
    if (!matches) {
      // The classic: a secret read from a file or echoed keeps its newline. Detected by hashing
      // the trimmed value, never by keeping the secret.
      if (trace && secret.trim() !== secret)
        trace.authentication!.secretWhitespace = timingSafeEqual(
          hashClientSecret(secret.trim()),
          client.secretHash,
        );
      outcome('secret_mismatch');
      return fail('The client_secret does not match this client_id.');
    }
    if (epochSeconds(clock) >= client.expiresAt) {
      outcome('expired');
      return fail('This client has expired (24 hours after registration): register a new one.');
    }
    if (client.tokenEndpointAuthMethod !== method) {
      outcome('wrong_method');
      return fail(methodAdvice[client.tokenEndpointAuthMethod]);
    }
    return client;
  };
}
