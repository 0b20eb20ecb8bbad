import type { KeyTokenRequestShape } from '../../../playground-shared/playground-store.ts';
import { jwtBearerAssertionType } from '../../../../lib/sandbox-contract/client-auth-methods.ts';
import { formEntries } from '../../program-parts.ts';

/**
 * The parts every private_key_jwt program shares. The playground's private key is
 * non-extractable and never leaves the page, so a program signs with the reader's own key: its
 * public half registered with the client (the Private key JWT page shows how), the private half
 * in a PKCS#8 PEM file.
 */

/** The program's opening comment: what it does, what it reads, how to run it. */
export function keyHeader(shape: KeyTokenRequestShape, comment: string, run: string): string {
  const key = shape.alg === 'EdDSA' ? 'an Ed25519' : 'a P-256';
  return [
    `${comment} Requests an access token with private_key_jwt (RFC 7523 §2.2).`,
    `${comment} Reads CLIENT_ID, KEY_ID (the kid of the registered public key), PRIVATE_KEY_FILE (${key} private`,
    `${comment} key, PKCS#8 PEM) and SANDBOX_URL from the environment. Run: ${run}`,
  ].join('\n');
}

/** Says what the assertion's claims are, where a program builds them (RFC 7523 §3). */
export const claimsComment =
  'RFC 7523 §3: iss and sub are the client, aud the issuer identifier (the sandbox origin), exp a minute ahead, and jti new: one assertion per request.';

/** The token request's form fields other than the assertion and the client_id. */
export function keyFormEntries(shape: KeyTokenRequestShape): [string, string][] {
  return [...formEntries(shape), ['client_assertion_type', jwtBearerAssertionType]];
}
