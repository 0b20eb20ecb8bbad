import {
  clientAssertionClaims,
  clientAssertionParameters,
  signJwt,
  type AssertionAlgorithm,
  type ClientAssertionClaims,
} from '../../lib/client-assertion.ts';
import { encodeBase64url } from '../../lib/base64url.ts';
import type { HttpRequestDescription } from '../../lib/http-message.ts';
import { sandboxPaths } from '../../lib/sandbox-contract/paths.ts';

/**
 * The "Key pair" credentials of the playground (private_key_jwt, RFC 7523): a key pair made by
 * WebCrypto in this page, its public half registered, and client assertions signed with the
 * private half, which is non-extractable and never leaves this page's memory.
 */

export type KeyChoice = 'ES256' | 'Ed25519';
export const keyChoices: readonly KeyChoice[] = ['Ed25519', 'ES256'];
export const keyChoiceLabels: Record<KeyChoice, string> = {
  Ed25519: 'Ed25519 (EdDSA)',
  ES256: 'P-256 (ES256)',
};

/** A client whose private key lives in this page only. */
export interface KeyClient {
  clientId: string;
  kid: string;
  alg: AssertionAlgorithm;
  /** Non-extractable: WebCrypto signs with it, nothing can read it. */
  privateKey: CryptoKey;
  publicJwk: JsonWebKey;
  /** The sandbox's issuer identifier: the assertions' `aud`. */
  issuer: string;
  scopes: string[];
}

/** A fresh key pair: the private key non-extractable, the public one as a JWK with kid, alg and use. */
export async function generateClientKeyPair(
  choice: KeyChoice,
): Promise<{ privateKey: CryptoKey; publicJwk: JsonWebKey; alg: AssertionAlgorithm; kid: string }> {
  const algorithm = choice === 'Ed25519' ? { name: 'Ed25519' } : { name: 'ECDSA', namedCurve: 'P-256' };
  // extractable: false applies to the private key; a public key can always be exported.
  const pair = (await crypto.subtle.generateKey(algorithm, false, ['sign', 'verify'])) as CryptoKeyPair;
  const exported = await crypto.subtle.exportKey('jwk', pair.publicKey);
  const alg: AssertionAlgorithm = choice === 'Ed25519' ? 'EdDSA' : 'ES256';
  const kid = `playground-${encodeBase64url(crypto.getRandomValues(new Uint8Array(6)))}`;
  const publicJwk: JsonWebKey = {
    kty: exported.kty,
    crv: exported.crv,
    x: exported.x,
    ...(exported.y !== undefined ? { y: exported.y } : {}),
    kid,
    alg,
    use: 'sig',
  } as JsonWebKey;
  return { privateKey: pair.privateKey, publicJwk, alg, kid };
}

/** `POST /oauth/register` for a private_key_jwt client with this public key (RFC 7591 §2 `jwks`). */
export function buildKeyRegistrationRequest(publicJwk: JsonWebKey): HttpRequestDescription {
  return {
    method: 'POST',
    target: sandboxPaths.registration,
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({
      client_name: 'Playground (key pair)',
      token_endpoint_auth_method: 'private_key_jwt',
      jwks: { keys: [publicJwk] },
    }),
  };
}

/** Reads the registration answer: the client_id and scopes, or the sandbox's error. */
export function readKeyRegistration(
  status: number,
  body: unknown,
): { ok: true; clientId: string; scopes: string[] } | { ok: false; message: string } {
  const record = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  if (status !== 201) {
    const description = typeof record.error_description === 'string' ? record.error_description : '';
    return {
      ok: false,
      message:
        `HTTP ${status} ${typeof record.error === 'string' ? record.error : ''}: ${description}`.trim(),
    };
  }
  if (typeof record.client_id !== 'string' || record.client_id === '')
    return { ok: false, message: '"response" body "client_id" must be a non-empty string' };
  if (record.token_endpoint_auth_method !== 'private_key_jwt')
    return { ok: false, message: '"response" body "token_endpoint_auth_method" must be "private_key_jwt"' };
  const scopes = typeof record.scope === 'string' ? record.scope.split(' ').filter(Boolean) : [];
  return { ok: true, clientId: record.client_id, scopes };
}

/** The assertions the token step can send: a genuine one, and three broken on purpose. */
export type AssertionVariant = 'genuine' | 'wrong-aud' | 'reused-jti' | 'long-exp';

export interface VariantDescription {
  /** The button's text. */
  label: string;
  /** What this assertion does differently. */
  change: string;
  /** Why the sandbox refuses it (or accepts it), in plain words. */
  explanation: string;
}

export const variantDescriptions: Record<AssertionVariant, VariantDescription> = {
  genuine: {
    label: 'Sign and send an assertion',
    change: 'A fresh assertion: aud the issuer, 60 seconds of life, a new jti.',
    explanation: 'Every rule of RFC 7523 section 3 holds, so the sandbox issues a token.',
  },
  'wrong-aud': {
    label: 'Wrong aud',
    change: 'aud names another server, https://auth.example.com.',
    explanation:
      'The audience says which server the assertion is for. One made for another server must not ' +
      'work here, or any server you authenticate to could replay your assertions to this one.',
  },
  'reused-jti': {
    label: 'Reuse the last assertion',
    change: 'The assertion just sent, sent again: same jti.',
    explanation:
      'An assertion is single-use. The sandbox remembers every jti until the assertion expires, ' +
      'so a recorded assertion (a proxy log, a debugging dump) cannot be replayed.',
  },
  'long-exp': {
    label: '10-minute exp',
    change: 'exp is 10 minutes ahead.',
    explanation:
      'The sandbox takes assertions that live at most 5 minutes: a short life makes a stolen one useless soon. Libraries sign them for about a minute.',
  },
};

/** What each claim means, for the decoded view. */
export const claimExplanations: Record<keyof ClientAssertionClaims, string> = {
  iss: 'Issuer: the client itself, its client_id.',
  sub: 'Subject: the client_id again; the client authenticates as itself.',
  aud: "Audience: the authorization server's issuer identifier. Only that server accepts it.",
  iat: 'Issued at, in seconds since 1970.',
  exp: 'Expiry: the assertion is refused from this second on.',
  jti: 'A unique ID: the sandbox accepts each jti once.',
};

/** The claims of the chosen variant; `reused-jti` is not built, it resends the last assertion. */
export function variantClaims(
  variant: Exclude<AssertionVariant, 'reused-jti'>,
  client: Pick<KeyClient, 'clientId' | 'issuer'>,
  now: number,
): ClientAssertionClaims {
  const claims = clientAssertionClaims({ clientId: client.clientId, audience: client.issuer, now });
  if (variant === 'wrong-aud') return { ...claims, aud: 'https://auth.example.com' };
  if (variant === 'long-exp') return { ...claims, exp: now + 600 };
  return claims;
}

/** Signs `claims` with the client's key, naming it by kid. */
export function signAssertion(client: KeyClient, claims: ClientAssertionClaims): Promise<string> {
  return signJwt(client.privateKey, { alg: client.alg, kid: client.kid }, claims);
}

/** `POST /oauth/token` with the assertion (RFC 7521 §4.2), no secret anywhere. */
export function buildAssertionTokenRequest(clientId: string, assertion: string): HttpRequestDescription {
  const form = new URLSearchParams({
    grant_type: 'client_credentials',
    ...clientAssertionParameters(clientId, assertion),
  });
  return {
    method: 'POST',
    target: sandboxPaths.token,
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: form.toString(),
  };
}

/** Seconds an assertion has left at `nowMs`, never below zero. */
export function remainingSeconds(exp: number, nowMs: number): number {
  return Math.max(0, exp - Math.floor(nowMs / 1000));
}
