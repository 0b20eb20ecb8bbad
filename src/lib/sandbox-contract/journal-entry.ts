import type { Finding } from '../finding-catalogue.ts';

/**
 * The request journal's wire shape (`GET {registration_client_uri}/requests`, JSON or server-sent
 * events): what the sandbox's inspector writes and the "Watch your own code" island reads.
 */

/** The resource server's checks of a Bearer token, in the order it runs them (the sandbox's token-verdict.ts). */
export type VerdictStep = 'format' | 'signature' | 'typ' | 'iss' | 'aud' | 'exp' | 'revoked' | 'scope';

/** One step of the verdict, as the journal shows it. */
export interface VerdictItem {
  step: VerdictStep;
  result: 'passed' | 'failed';
  /** A fact about the step: the kid, how long ago the token expired, the scope missing. */
  detail?: string;
}

/** Where a request carried its credentials: a fact, never their value. */
export type CredentialsLocation =
  | 'basic'
  | 'body'
  | 'both'
  | 'assertion'
  | 'bearer'
  | 'query'
  | 'registration_token'
  | 'other_scheme'
  | 'none';

/**
 * What the sandbox received, as facts: where credentials were, content type, grant type, scopes
 * asked, the token's `jti`/`exp`/`scope` and the verdict for a Bearer call, header *names*. Never
 * the value of a secret or a token.
 */
export interface ReceivedFacts {
  credentials: CredentialsLocation;
  content_type?: string;
  grant_type?: string;
  scopes_requested?: string[];
  /** Names of the form parameters (values are not kept). */
  body_parameters?: string[];
  /** Names of the query parameters. */
  query_parameters?: string[];
  header_names: string[];
  /** The Bearer token the call carried, when its signature verified. */
  token?: { jti?: string; exp?: number; scope?: string; kid?: string };
  /** The resource server's checks, in order (token-verdict.ts). */
  verdict?: VerdictItem[];
  /** The token a token request was answered with. */
  issued?: { jti: string; exp: number; scope: string };
}

/** One journal entry, as `GET {registration_client_uri}/requests` lists it. */
export interface JournalEntry {
  /** The request's `x-request-id`. */
  id: string;
  /** When it arrived (ISO 8601). */
  time: string;
  method: string;
  /** The path, without the query. */
  path: string;
  status: number;
  error?: string;
  received: ReceivedFacts;
  findings: Finding[];
}
