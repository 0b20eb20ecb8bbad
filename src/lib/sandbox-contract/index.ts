/**
 * The sandbox's wire contract, stated once: where each endpoint lives, how clients authenticate,
 * the bounds, the scopes (from the API profile), the error codes and their statuses, and a
 * request/process pair for every call the islands make. The sandbox, the islands, the components
 * and the tests import it from here; docs/sandbox-contract.md is the prose beside it.
 */
export * from './assertions.ts';
export * from './bounds.ts';
export * from './call.ts';
export * from './checks.ts';
export * from './client-auth-methods.ts';
export * from './client-authentication.ts';
export * from './client-credentials.ts';
export * from './errors.ts';
export * from './journal-entry.ts';
export * from './metadata.ts';
export * from './paths.ts';
export * from './rate-limits.ts';
export * from './registration.ts';
export * from './reports.ts';
export * from './response-error.ts';
export * from './revocation.ts';
export * from './scopes.ts';
export * from './token.ts';
