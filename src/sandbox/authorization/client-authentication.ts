import { hash, timingSafeEqual } from 'node:crypto';
import { parseBasicCredentials } from '../../lib/basic-auth.ts';
import { epochSeconds, type Clock } from '../clock.ts';
import { formParameter, type FormParameters } from '../http/form.ts';
import { OAuthError } from '../http/oauth-error.ts';
import type { RateLimiter } from '../http/rate-limit.ts';
import type { AuthenticationOutcome, EndpointContext, InspectionTrace } from '../http/request-context.ts';
import type { ClientRecord, Store, TokenEndpointAuthMethod } from '../store/store.ts';
import { AssertionRejected, assertedClientId, verifyClientAssertion } from './client-assertion.ts';
import { jwtBearerAssertionType } from '../../lib/sandbox-contract/client-auth-methods.ts';

/** The realm of the Basic challenge that comes with every `invalid_client` (RFC 6749 §5.2). */
export const clientRealm = 'sandbox';

/**
 * Hashes a client secret for storage and comparison. SHA-256 and not a slow password hash: the
 * sandbox generates every secret with 256 bits of randomness, so there is nothing to brute-force,
 * and a slow hash would cost every token request milliseconds. The one-shot `hash()` (UTF-8 in,
 * bytes out) builds no Hash object: half the cost of createHash().update().digest().
 */
export function hashClientSecret(secret: string): Uint8Array {
  return hash('sha256', secret, 'buffer');
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
  if (named?.secretHash && timingSafeEqual(hashClientSecret(clientId.trim()), named.secretHash)) {
    authentication.clientId = named.clientId;
    authentication.registeredMethod = named.tokenEndpointAuthMethod;
    authentication.swapped = true;
  }
}

/** The client an assertion names (its sub, else iss), or '' when it names none or is no JWT. */
function namedByAssertion(assertion: string): string {
  try {
    return assertedClientId(assertion, undefined);
  } catch {
    return '';
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
  /** The issuer identifier, which a client assertion's `aud` names (RFC 7523 §3). */
  issuer: string;
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
  private_key_jwt:
    'This client is registered for private_key_jwt: it has no secret. Authenticate with ' +
    'client_assertion_type=urn:ietf:params:oauth:client-assertion-type:jwt-bearer and a ' +
    'client_assertion JWT signed with your private key (RFC 7523 section 2.2).',
};

/** Said to a secret client that sends an assertion instead. */
const assertionBySecretClient =
  'This client is registered with a client secret, not a key: it cannot authenticate with a ' +
  'client_assertion. Register a client with token_endpoint_auth_method private_key_jwt and ' +
  'its public jwks to use one.';

/**
 * Creates the client authenticator of RFC 6749 §2.3.1: `client_secret_basic` (Basic header,
 * form-urlencoded before base64) or `client_secret_post` (form parameters), never both (§2.3),
 * and only the method the client registered. Every failure is 401 `invalid_client` with a Basic
 * challenge (§5.2) and counts against the rate limits; a spent limit is 429 before the secret is
 * compared, so guessing stops.
 */
export function createClientAuthenticator({
  issuer,
  store,
  clock,
  failuresPerClient,
  failuresPerAddress,
}: ClientAuthenticationOptions): ClientAuthenticator {
  return async (request, form, { addressKey: clientAddress, observed, trace }) => {
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
    const assertionType = formParameter(form, 'client_assertion_type');
    const assertion = formParameter(form, 'client_assertion');

    // RFC 7521 §4.2 / RFC 7523 §2.2: private_key_jwt. Both parameters go together, and (RFC 6749
    // §2.3) with no other authentication method.
    if (assertionType !== undefined || assertion !== undefined) {
      if (header !== null || bodySecret !== undefined) {
        throw new OAuthError(
          'invalid_request',
          400,
          'The client authenticated twice: with a client_assertion and with a secret. Use one method.',
        );
      }
      const rejected = (problem: AssertionRejected): never => {
        observed.assertionProblem = { code: problem.code, skewSeconds: problem.skewSeconds };
        if (trace) trace.assertion = { code: problem.code, description: problem.message };
        return fail(problem.message);
      };
      if (
        assertionType === undefined ||
        assertion === undefined ||
        assertionType !== jwtBearerAssertionType
      ) {
        const description =
          assertion === undefined
            ? 'client_assertion_type was sent without a client_assertion (RFC 7521 section 4.2): send both.'
            : assertionType === undefined
              ? 'client_assertion was sent without client_assertion_type=urn:ietf:params:oauth:client-assertion-type:jwt-bearer (RFC 7521 section 4.2).'
              : `client_assertion_type must be ${jwtBearerAssertionType} (RFC 7523 section 2.2); the sandbox takes no other assertion type.`;
        // For the journal and the per-client allowance: the client the form or the assertion names.
        const namedId = bodyClientId ?? (assertion === undefined ? '' : namedByAssertion(assertion));
        const named = namedId !== '' && namedId.length <= 256 ? await store.findClient(namedId) : undefined;
        if (named) {
          observed.clientId = named.clientId;
          clientKey = `${clientAddress} ${named.clientId}`;
        }
        if (trace) trace.assertion = { code: 'assertion_type_missing', description };
        return fail(description);
      }
      let assertionClient: ClientRecord | undefined;
      try {
        const namedClientId = assertedClientId(assertion, bodyClientId);
        assertionClient = await store.findClient(namedClientId);
        if (assertionClient) {
          observed.clientId = assertionClient.clientId;
          clientKey = `${clientAddress} ${assertionClient.clientId}`;
        }
        failuresPerClient.check(clientKey);
        if (!assertionClient)
          return fail(
            'Unknown client_id. Sandbox clients expire 24 hours after registration: register a new one.',
          );
        if (epochSeconds(clock) >= assertionClient.expiresAt)
          return fail('This client has expired (24 hours after registration): register a new one.');
        if (assertionClient.tokenEndpointAuthMethod !== 'private_key_jwt') {
          if (trace)
            trace.authentication = {
              outcome: 'wrong_method',
              clientId: assertionClient.clientId,
              registeredMethod: assertionClient.tokenEndpointAuthMethod,
            };
          return fail(assertionBySecretClient);
        }
        await verifyClientAssertion(assertion, {
          client: assertionClient,
          formClientId: bodyClientId,
          issuer,
          tokenEndpoint: `${issuer}/oauth/token`,
          now: epochSeconds(clock),
          store,
        });
      } catch (error) {
        if (error instanceof AssertionRejected) return rejected(error);
        throw error;
      }
      return assertionClient;
    }
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
        'The client_id alone does not authenticate a client: add its client_secret, use HTTP Basic, or (for a private_key_jwt client) send a client_assertion.',
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
    // A key client has no secret to compare: say what it must send instead.
    if (client?.tokenEndpointAuthMethod === 'private_key_jwt') {
      outcome('wrong_method');
      return fail(methodAdvice.private_key_jwt);
    }
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
      if (trace && client.secretHash && secret.trim() !== secret)
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
