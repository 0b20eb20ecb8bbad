import type { ExchangeOptions } from '../../lib/http-exchange.ts';
import {
  buildAuthorizationServerMetadataRequest,
  callSandbox,
  processAuthorizationServerMetadataResponse,
} from '../../lib/sandbox-contract/index.ts';

/** What the status check learned about the sandbox. */
export type SandboxStatus =
  | { state: 'up'; issuer: string; tokenEndpoint: string; grantTypes: string[]; scopes: string[] }
  | { state: 'down'; reason: string };

/**
 * Fetches the RFC 8414 metadata, same origin, and reads it field by field: a broken sandbox is
 * reported with the field that is wrong, an unreachable one as such.
 */
export async function checkSandboxStatus(options: ExchangeOptions = {}): Promise<SandboxStatus> {
  const outcome = await callSandbox(
    buildAuthorizationServerMetadataRequest(),
    processAuthorizationServerMetadataResponse,
    options,
  );
  if (!outcome.ok) return { state: 'down', reason: outcome.error.message };
  const metadata = outcome.value;
  return {
    state: 'up',
    issuer: metadata.issuer,
    tokenEndpoint: metadata.tokenEndpoint,
    grantTypes: metadata.grantTypesSupported,
    scopes: metadata.scopesSupported,
  };
}
