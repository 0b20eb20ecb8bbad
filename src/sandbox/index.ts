/**
 * The sandbox's public face: everything a host (src/server, the dev integration, a test) needs,
 * and the only sandbox module a host imports (tests/unit/architecture.test.ts holds it to that).
 */
export {
  createSandbox,
  defaultSigningKeyMaxAge,
  isSandboxRequest,
  maintenanceIntervalSeconds,
  rotateSigningKeyInStore,
  type RequestContext,
  type RequestObservations,
  type Sandbox,
  type SandboxOptions,
} from './sandbox.ts';
export { isSandboxPath, sandboxPathPrefixes } from '../lib/sandbox-contract/paths.ts';
export type { SandboxLogger } from './logger.ts';
export { OAuthError, describeUnexpectedError, errorResponse } from './http/oauth-error.ts';
export { isCorsOriginEntry } from './http/cors.ts';
export { securityHeaders, sharedCspDirectives, strictTransportSecurityFor } from './http/security-headers.ts';
export { openSqliteStore } from './store/sqlite-store.ts';
export type { Store } from './store/store.ts';
export { attachBufferedBody, preparedResponseParts } from './host.ts';
export { openApiDocument } from './openapi-document.ts';
