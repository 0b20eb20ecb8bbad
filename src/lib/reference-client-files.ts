/**
 * The files of the reference token client (src/lib), in the order the token client page shows
 * them. A reader saves them in one folder beside token-manager-usage.ts; the samples test copies
 * exactly these into an empty folder and runs the usage example there, and fails when the
 * client imports a file this list lacks.
 */
export const referenceClientFiles = [
  'client-credentials-token-source.ts',
  'token-source-error.ts',
  'token-refresh-moment.ts',
  'token-request.ts',
  'token-response.ts',
  'basic-auth.ts',
  'form-urlencoding.ts',
  'retry-after.ts',
  'www-authenticate.ts',
  // Loaded only for a private key (private_key_jwt), and then needs jose: npm install jose.
  'private-key-assertion.ts',
] as const;

/**
 * The usage example as the page shows it: importing the client from its own folder rather than
 * from this repository's src/lib.
 */
export function usageBesideTheClient(source: string): string {
  return source.replaceAll("from '../../../src/lib/", "from './");
}
