import type { ClientSecretAuthMethod } from '../../lib/sandbox-contract/client-auth-methods.ts';

/** The two client authentication methods as the playground names them (RFC 6749 §2.3.1). */
export const authMethodLabels: Record<ClientSecretAuthMethod, string> = {
  client_secret_basic: 'Basic header',
  client_secret_post: 'Form body',
};

/** The two methods in the order the playground offers them. */
export const clientSecretAuthMethods = Object.keys(authMethodLabels) as ClientSecretAuthMethod[];
