import type { FormParameters } from './form.ts';
import type { AssertionProblemCode } from '../authorization/client-assertion.ts';
import type { OAuthErrorCode } from './oauth-error.ts';

/**
 * What the sandbox learnt while answering one request, for the host's request log. It holds
 * identifiers and closed-list codes only, never a secret, a token or anything else the client
 * sent: a client_id is recorded only once it names a registered client, so a secret pasted into
 * the client_id field never reaches a log.
 */
export interface RequestObservations {
  /** The registered client the request was for: the one registered, authenticated (or failing to), or named by a verified token. */
  clientId?: string;
  /** The error code of an error answer (the closed list of oauth-error.ts). */
  error?: OAuthErrorCode;
  /** Why a client assertion was refused (private_key_jwt): a closed-list code, and the measured clock skew. */
  assertionProblem?: { code: AssertionProblemCode; skewSeconds: number | undefined };
}

/** How client authentication ended (client-authentication.ts), for the request inspector. */
export type AuthenticationOutcome =
  | 'ok'
  | 'none'
  | 'other_scheme'
  | 'malformed_basic'
  | 'both'
  | 'client_id_mismatch'
  | 'secret_missing'
  | 'client_id_missing'
  | 'unknown_client'
  | 'secret_mismatch'
  | 'expired'
  | 'wrong_method';

/**
 * What the endpoints learnt while answering, for the request inspector (src/sandbox/inspector),
 * which turns it into a journal entry after the answer. In memory for one request only: the
 * inspector records facts drawn from it, never a value it holds.
 */
export interface InspectionTrace {
  /** The form body, once parsed. */
  form?: FormParameters;
  /** Client authentication at the token, introspection or revocation endpoint. */
  authentication?: {
    method?: 'client_secret_basic' | 'client_secret_post';
    outcome: AuthenticationOutcome;
    /** The registered client the credentials name, when they name one (swapped or not). */
    clientId?: string;
    /** The method that client registered. */
    registeredMethod?: string;
    /** The secret matched once trailing or leading whitespace was trimmed. */
    secretWhitespace?: boolean;
    /** The client_id matched a client once whitespace was trimmed. */
    clientIdWhitespace?: boolean;
    /** The client_id and client_secret values were each other's. */
    swapped?: boolean;
  };
  /**
   * Why a client assertion (private_key_jwt) was refused: the code of its finding and the
   * error_description the client got, which names only claims and header values, never the JWT.
   */
  assertion?: { code: AssertionProblemCode | 'assertion_type_missing'; description: string };
  /** A token the token endpoint issued. */
  issued?: { jti: string; iat: number; exp: number; scope: string };
  /** The scope an API call needed. */
  requiredScope?: string;
  /** The claims of the Bearer token an API call carried, once its signature verified. */
  tokenClaims?: { client_id: string; jti: string; exp: number; scope: string };
}

/** What an endpoint gets besides the Request. */
export interface EndpointContext {
  /**
   * Who per-address rate limits count: the client's IPv4 address, or the /64 of its IPv6 address
   * (see client-address.ts); 'unknown' when the host did not say.
   */
  addressKey: string;
  /** Filled in by the endpoint; the host reads it after the answer. */
  observed: RequestObservations;
  /** Filled in by the endpoints for the request inspector; absent when nothing inspects. */
  trace?: InspectionTrace;
}
