import type { ApiProfile } from './api-profile.ts';

/** The environments a sample runs in: the sandbox beside this guide, or the API in production. */
export type SampleEnvironment = 'sandbox' | 'production';

/**
 * The shell lines that point every sample of the guide at one environment. The samples read
 * TOKEN_URL, API_BASE_URL, CLIENT_ID and CLIENT_SECRET; moving to production changes these
 * variables, never code. The secret is read without echo (`read -rs`), so it lands neither on
 * the screen nor in the shell's history, and never on a command line.
 */
export function environmentVariables(
  profile: Pick<ApiProfile, 'productionTokenUrl' | 'apiBaseUrl'>,
  environment: SampleEnvironment,
  /** The origin that serves the guide and the sandbox (`SITE_URL`). */
  origin = 'http://localhost:4321',
): string {
  const credentials = [
    'read -r -p "Client ID: " CLIENT_ID && export CLIENT_ID',
    'read -rs -p "Client secret: " CLIENT_SECRET && echo && export CLIENT_SECRET',
  ];
  if (environment === 'sandbox') {
    return [
      '# The sandbox: the origin that serves this guide.',
      `export SANDBOX_URL=${origin}`,
      'export TOKEN_URL="$SANDBOX_URL/oauth/token"',
      'export API_BASE_URL="$SANDBOX_URL/api/v1"',
      '# A sandbox client (Sandbox reference, "Register a client").',
      ...credentials,
    ].join('\n');
  }
  return [
    '# Production. In a deployed job, the platform sets these from its secrets manager.',
    `export TOKEN_URL=${profile.productionTokenUrl}`,
    `export API_BASE_URL=${profile.apiBaseUrl}`,
    'unset SANDBOX_URL',
    ...credentials,
  ].join('\n');
}
