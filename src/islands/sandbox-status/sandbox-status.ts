/** What the status check learned about the sandbox. */
export type SandboxStatus =
  | { state: 'up'; issuer: string; tokenEndpoint: string; grantTypes: string[]; scopes: string[] }
  | { state: 'down'; reason: string };

/** The request the status check sends: RFC 8414 §3 metadata, same origin. */
export const sandboxStatusRequest = {
  url: '/.well-known/oauth-authorization-server',
  init: { headers: { accept: 'application/json' } } satisfies RequestInit,
};

function stringArray(value: unknown): string[] | undefined {
  return Array.isArray(value) && value.every((item) => typeof item === 'string') ? value : undefined;
}

/**
 * Reads the metadata response into a status. Each field is checked on its own so a broken
 * sandbox is reported with the field that is wrong.
 */
export function readSandboxStatus(status: number, body: unknown): SandboxStatus {
  if (status !== 200) return { state: 'down', reason: `the metadata endpoint answered HTTP ${status}` };
  if (typeof body !== 'object' || body === null)
    return { state: 'down', reason: 'the metadata is not a JSON object' };
  const metadata = body as Record<string, unknown>;
  if (typeof metadata.issuer !== 'string') return { state: 'down', reason: '"issuer" must be a string' };
  if (typeof metadata.token_endpoint !== 'string')
    return { state: 'down', reason: '"token_endpoint" must be a string' };
  const grantTypes = stringArray(metadata.grant_types_supported);
  if (!grantTypes) return { state: 'down', reason: '"grant_types_supported" must be an array of strings' };
  const scopes = stringArray(metadata.scopes_supported) ?? [];
  return { state: 'up', issuer: metadata.issuer, tokenEndpoint: metadata.token_endpoint, grantTypes, scopes };
}

/** Fetches the metadata and reads it; network and JSON failures become a 'down' status. */
export async function checkSandboxStatus(fetchImpl: typeof fetch = fetch): Promise<SandboxStatus> {
  let response: Response;
  try {
    response = await fetchImpl(sandboxStatusRequest.url, sandboxStatusRequest.init);
  } catch {
    return { state: 'down', reason: 'the sandbox could not be reached' };
  }
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    return { state: 'down', reason: `the metadata endpoint answered HTTP ${response.status} without JSON` };
  }
  return readSandboxStatus(response.status, body);
}
