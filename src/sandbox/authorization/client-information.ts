import { clientConfigurationPathPrefix } from '../../lib/sandbox-contract/paths.ts';
import type { ClientRecord } from '../store/store.ts';

export { clientConfigurationPathPrefix };

/** `registration_client_uri`: `ORIGIN/oauth/clients/{client_id}` (RFC 7592 §3). */
export function registrationClientUri(issuer: string, clientId: string): string {
  return `${issuer}${clientConfigurationPathPrefix}${clientId}`;
}

/** Values that exist only in the answer that carries them: the store keeps their hashes. */
export interface IssuedSecrets {
  /** The client secret; sent in the registration answer only. */
  clientSecret?: string | undefined;
  /** The registration access token; the registration answer, or the one the caller presented. */
  registrationAccessToken: string;
}

/**
 * The client information response (RFC 7591 §3.2.1, extended by RFC 7592 §3): every registered
 * metadata value, `registration_client_uri`, and `registration_access_token` (REQUIRED there). The
 * sandbox stores only hashes, so after registration it answers with the token the caller
 * presented, and without the secret (which §3.2.1 makes optional).
 */
export function clientInformation(client: ClientRecord, issuer: string, secrets: IssuedSecrets) {
  return {
    client_id: client.clientId,
    ...(secrets.clientSecret !== undefined ? { client_secret: secrets.clientSecret } : {}),
    client_id_issued_at: client.issuedAt,
    // A private_key_jwt client has no secret, so no secret expiry; client_expires_at is the
    // sandbox's own field saying, for every client, when it is refused (24 h after registration).
    ...(client.secretHash !== undefined ? { client_secret_expires_at: client.expiresAt } : {}),
    client_expires_at: client.expiresAt,
    ...(client.clientName !== undefined ? { client_name: client.clientName } : {}),
    grant_types: ['client_credentials'],
    token_endpoint_auth_method: client.tokenEndpointAuthMethod,
    scope: client.scope.join(' '),
    access_token_lifetime: client.accessTokenLifetime,
    ...(client.jwks ? { jwks: client.jwks } : {}),
    registration_access_token: secrets.registrationAccessToken,
    registration_client_uri: registrationClientUri(issuer, client.clientId),
  };
}
