/**
 * The mistakes the request inspector recognises in what a client sent, one stable `code` each.
 * The sandbox attaches them to journal entries (with a message about that request), the errors
 * page explains each in a row of its own (anchor = the code), and the "Watch your own code"
 * island shows them. Pure data: shared by the sandbox, the pages and the islands.
 */

export type FindingSeverity = 'error' | 'warning';

/** One kind of mistake: how bad it is, a title, and what to do about it. */
export interface FindingKind {
  severity: FindingSeverity;
  /** A short plain-language name, as the errors page's row heading and the island show it. */
  title: string;
  /** What in a request the sandbox recognises as this mistake. */
  detects: string;
  /** What to change, in one or two sentences. */
  fix: string;
  /** The RFC section that says what is right. */
  reference: string;
}

export const findingCatalogue = {
  credentials_in_header_and_body: {
    detects: 'A token request with an Authorization: Basic header and client_secret in the form body.',
    severity: 'error',
    title: 'Credentials in the header and in the body',
    fix: 'Use one client authentication method per request: the Authorization: Basic header, or client_id and client_secret in the form body, never both.',
    reference: 'RFC 6749 §2.3',
  },
  json_body: {
    detects:
      'A token request whose body is JSON (Content-Type: application/json, or a body that starts with a brace).',
    severity: 'error',
    title: 'Token request sent as JSON',
    fix:
      'Send the token request as a form: Content-Type: application/x-www-form-urlencoded and a ' +
      'body like grant_type=client_credentials. Most HTTP libraries do this when given a dict or ' +
      'URLSearchParams as the form, not as JSON.',
    reference: 'RFC 6749 §4.4.2, Appendix B',
  },
  form_content_type_missing: {
    detects: 'A form body (grant_type=...) sent without Content-Type: application/x-www-form-urlencoded.',
    severity: 'error',
    title: 'Form body without its Content-Type',
    fix:
      'Add the header Content-Type: application/x-www-form-urlencoded to the token request (curl ' +
      '-d and most form helpers add it; a raw body string does not).',
    reference: 'RFC 6749 §3.2, Appendix B',
  },
  secret_whitespace: {
    detects:
      'A client_secret (or client_id) that matches once the whitespace around it is trimmed: found by hashing the trimmed value, never by keeping the secret.',
    severity: 'error',
    title: 'Secret with trailing whitespace',
    fix: 'Trim the client secret where it is read: a file or an echo often adds a newline. In a shell use printf, or read the file with its newline stripped.',
    reference: 'RFC 6749 §2.3.1',
  },
  id_secret_swapped: {
    detects: "A client_id that is this client's secret, and a client_secret that is its client_id.",
    severity: 'error',
    title: 'client_id and client_secret swapped',
    fix:
      'Swap them back: the client_id is the shorter identifier, the client_secret the longer ' +
      'one. Check the order of the two values in the Basic header (client_id:client_secret) or ' +
      'the form.',
    reference: 'RFC 6749 §2.3.1',
  },
  wrong_auth_method: {
    detects:
      "Credentials sent by another method than the client's registered token_endpoint_auth_method (Basic for a client_secret_post client, or the reverse).",
    severity: 'error',
    title: 'Not the authentication method the client registered',
    fix:
      'Authenticate the way the client was registered (token_endpoint_auth_method): ' +
      'client_secret_basic sends the Authorization: Basic header, client_secret_post sends ' +
      'client_id and client_secret in the form body.',
    reference: 'RFC 7591 §2, RFC 6749 §2.3.1',
  },
  grant_type_missing: {
    detects: 'A token request with no grant_type parameter.',
    severity: 'error',
    title: 'grant_type missing',
    fix: 'Add grant_type=client_credentials to the form body of the token request.',
    reference: 'RFC 6749 §4.4.2',
  },
  grant_type_unsupported: {
    detects:
      'A grant_type other than client_credentials, with a did-you-mean for a near miss (client-credentials, client_credential).',
    severity: 'error',
    title: 'Unsupported grant type',
    fix: 'Send grant_type=client_credentials, exactly: the sandbox supports no other grant.',
    reference: 'RFC 6749 §4.4.2, §5.2',
  },
  scope_unknown: {
    detects:
      'A scope the API does not define, with the nearest defined one (a dot where the API has a ' +
      'colon, a letter in the wrong case: "did you mean …?"); also scopes separated by commas.',
    severity: 'error',
    title: 'Scope the API does not define',
    fix: 'Ask only for scopes the API defines, spelled exactly (they are case-sensitive) and separated by single spaces.',
    reference: 'RFC 6749 §3.3',
  },
  scope_not_registered: {
    detects: 'A scope the API defines but the client did not register.',
    severity: 'error',
    title: 'Scope this client did not register',
    fix: 'Ask only for scopes the client registered, or update the client (PUT its registration_client_uri) to add the scope.',
    reference: 'RFC 6749 §3.3, RFC 7592 §2.2',
  },
  token_expired: {
    detects:
      'An API call with a token past its exp: how many seconds after, and whether this client ever renewed a token before expiry.',
    severity: 'error',
    title: 'Expired access token',
    fix: 'Renew the token before it expires (at the earlier of 60 seconds before expires_in runs out or half its lifetime), and keep using it until then.',
    reference: 'RFC 6749 §4.2.2 expires_in, RFC 6750 §3.1',
  },
  token_revoked: {
    detects: 'An API call with a token that was revoked at the revocation endpoint.',
    severity: 'error',
    title: 'Revoked access token',
    fix: 'Request a new token. A client should answer 401 invalid_token by getting a new token once and retrying the call once.',
    reference: 'RFC 7009, RFC 6750 §3.1',
  },
  token_foreign: {
    detects:
      "A token whose signature, typ, iss or aud is not this sandbox's for this API (another server, environment or origin).",
    severity: 'error',
    title: 'Token not issued by this sandbox for this API',
    fix:
      'Use a token from this sandbox’s token endpoint (the token_endpoint of its metadata), ' +
      'issued for this API: not one from another server, another environment or another origin.',
    reference: 'RFC 9068 §4, RFC 6750 §3.1',
  },
  bearer_scheme_missing: {
    detects:
      'A token in the Authorization header without the Bearer scheme, or under another scheme (Token, JWT).',
    severity: 'error',
    title: 'Token sent without "Bearer "',
    fix: 'Send the header as Authorization: Bearer followed by one space and the token.',
    reference: 'RFC 6750 §2.1',
  },
  bearer_prefix_repeated: {
    detects: 'An Authorization header that starts with Bearer Bearer.',
    severity: 'error',
    title: '"Bearer" written twice',
    fix: 'Send "Bearer " once: the value you prepend it to already starts with it.',
    reference: 'RFC 6750 §2.1',
  },
  token_in_query: {
    detects: 'An access token in the URL (?access_token=...).',
    severity: 'error',
    title: 'Token in the URL',
    fix: 'Move the token to the Authorization: Bearer header. URLs end up in logs, browser history and Referer headers.',
    reference: 'RFC 6750 §2.3, §5.3',
  },
  basic_at_api: {
    detects: 'An API call with Authorization: Basic client credentials instead of a Bearer token.',
    severity: 'error',
    title: 'Client credentials sent to the API',
    fix: 'Exchange the client credentials for an access token at the token endpoint first, then call the API with Authorization: Bearer and the token.',
    reference: 'RFC 6749 §4.4, RFC 6750 §2.1',
  },
  wrong_path: {
    detects:
      'A request with credentials to a near-miss path (/token, /oauth2/token, /connect/token, /api/reports, /reports ...), with the path it meant.',
    severity: 'error',
    title: 'Wrong path',
    fix:
      'Use the URLs from the sandbox’s metadata (/.well-known/oauth-authorization-server): the ' +
      'token endpoint is /oauth/token and the API is under /api/v1/.',
    reference: 'RFC 8414 §3',
  },
  insufficient_scope: {
    detects:
      'An API call whose token lacks the scope the call needs: which scope was missing, which scopes the token had.',
    severity: 'error',
    title: 'Token without the scope this call needs',
    fix: 'Request a token with the scope the call needs (and register the client with it), then call again with the new token.',
    reference: 'RFC 6750 §3.1',
  },
  token_per_call: {
    detects:
      'A new token requested while the previous one had more than three quarters of its lifetime left.',
    severity: 'warning',
    title: 'A new token while the last one had most of its life left',
    fix: 'Keep the token and reuse it until shortly before it expires; request a new one only then (or after a 401 invalid_token).',
    reference: 'RFC 6749 §4.4.3, §5.1 expires_in',
  },
} as const satisfies Record<string, FindingKind>;

export type FindingCode = keyof typeof findingCatalogue;

/** Every finding code, in the catalogue's order (the errors page lists them so). */
export const findingCodes = Object.keys(findingCatalogue) as FindingCode[];

/** One finding in a journal entry (the wire format of `GET …/requests`). */
export interface Finding {
  code: FindingCode;
  severity: FindingSeverity;
  /** What was wrong with this request, in plain words, with its specifics. */
  message: string;
  /** What to change. */
  fix: string;
  /** The errors page's row for the code. */
  doc: string;
}
