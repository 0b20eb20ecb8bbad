import type { ApiProfile } from '../../lib/api-profile.ts';
import type { FindingCode } from '../../lib/finding-catalogue.ts';
import type { RequestShape } from '../playground-shared/playground-store.ts';

/**
 * The corrected request of each finding of the request inspector (issue 11), as the code panel's
 * request shapes: the errors page shows it as a program in each of the guide's languages
 * (RequestCode with fixed shapes). The shape is the request that fixes the mistake: a token request
 * made the right way (client_secret_basic, or a key pair's assertion), or an API call with the
 * token in the Authorization header (RFC 6750 §2.1). Where both matter, both, in the order sent.
 */
export function correctedRequestShapes(
  code: FindingCode,
  profile: Pick<ApiProfile, 'readScope' | 'writeScope'>,
): RequestShape[] {
  const tokenRequest: RequestShape = {
    kind: 'token',
    authMethod: 'client_secret_basic',
    scopes: [profile.readScope],
  };
  const postTokenRequest: RequestShape = { ...tokenRequest, authMethod: 'client_secret_post' };
  const keyTokenRequest: RequestShape = {
    kind: 'token',
    authMethod: 'private_key_jwt',
    alg: 'ES256',
    scopes: [profile.readScope],
  };
  const apiCall: RequestShape = { kind: 'api', method: 'GET' };
  if (code.startsWith('assertion_')) return [keyTokenRequest];
  switch (code) {
    case 'wrong_auth_method':
      return [tokenRequest, postTokenRequest, keyTokenRequest];
    case 'insufficient_scope':
      return [{ ...tokenRequest, scopes: [profile.writeScope] }];
    case 'token_expired':
    case 'token_revoked':
    case 'token_foreign':
    case 'token_per_call':
    case 'basic_at_api':
    case 'wrong_path':
      return [tokenRequest, apiCall];
    case 'bearer_scheme_missing':
    case 'bearer_prefix_repeated':
    case 'token_in_query':
      return [apiCall];
    default:
      return [tokenRequest];
  }
}
