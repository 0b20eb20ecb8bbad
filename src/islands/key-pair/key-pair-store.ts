import { atom } from 'nanostores';
import type { ClientAssertionClaims } from '../../lib/client-assertion.ts';
import type { KeyClient } from './key-pair.ts';

/**
 * The key client of this page. In memory only, never in sessionStorage: a CryptoKey cannot be
 * stored as text, and a private key should not outlive the page that made it. Leaving or
 * reloading the page forgets it.
 */
export const $keyClient = atom<KeyClient | undefined>(undefined);

/** The last assertion sent, for "Reuse the last assertion" and the decoded view. */
export const $lastAssertion = atom<{ assertion: string; claims: ClientAssertionClaims } | undefined>(
  undefined,
);
