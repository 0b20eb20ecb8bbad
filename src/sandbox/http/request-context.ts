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

/** What an endpoint gets besides the Request. */
export interface EndpointContext {
  /**
   * Who per-address rate limits count: the client's IPv4 address, or the /64 of its IPv6 address
   * (see client-address.ts); 'unknown' when the host did not say.
   */
  addressKey: string;
  /** Filled in by the endpoint; the host reads it after the answer. */
  observed: RequestObservations;
}
