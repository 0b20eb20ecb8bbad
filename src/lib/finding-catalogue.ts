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
      "Credentials sent by another method than the client's registered " +
      'token_endpoint_auth_method: Basic for a client_secret_post client or the reverse, a ' +
      'secret for a private_key_jwt client, a client_assertion for a client with a secret.',
    severity: 'error',
    title: 'Not the authentication method the client registered',
    fix:
      'Authenticate the way the client was registered (token_endpoint_auth_method): ' +
      'client_secret_basic sends the Authorization: Basic header, client_secret_post sends ' +
      'client_id and client_secret in the form body, private_key_jwt sends a client_assertion ' +
      'signed with its key and no secret.',
    reference: 'RFC 7591 §2, RFC 6749 §2.3.1, RFC 7523 §2.2',
  },
  assertion_type_missing: {
    detects:
      'A client_assertion without ' +
      'client_assertion_type=urn:ietf:params:oauth:client-assertion-type:jwt-bearer, the type ' +
      'without the assertion, or another assertion type.',
    severity: 'error',
    title: 'client_assertion_type missing or wrong',
    fix:
      'Send both form parameters together: ' +
      'client_assertion_type=urn:ietf:params:oauth:client-assertion-type:jwt-bearer and ' +
      'client_assertion, the signed JWT.',
    reference: 'RFC 7521 §4.2, RFC 7523 §2.2',
  },
  assertion_malformed: {
    detects:
      'A client_assertion that is not a signed JWT: not three base64url parts with JSON inside, an encrypted JWT (JWE), or a claim of the wrong type.',
    severity: 'error',
    title: 'Client assertion is not a signed JWT',
    fix:
      'Send the compact JWS your JWT library produces (header.payload.signature), not a JWE and ' +
      'not the claims themselves; iat, nbf and exp are numbers of seconds.',
    reference: 'RFC 7523 §3, RFC 7515 §7.1',
  },
  assertion_alg_not_allowed: {
    detects:
      'An assertion signed with alg none or an HMAC (HS256 is client_secret_jwt), with an ' +
      'algorithm the sandbox does not take, or with one that does not fit the key its kid names.',
    severity: 'error',
    title: 'Assertion signing algorithm not allowed',
    fix:
      'Sign with the private key whose public half the client registered, with the algorithm of ' +
      'that key: EdDSA for Ed25519, ES256 for P-256, RS256 or PS256 for RSA.',
    reference: 'RFC 7518 §3.1, RFC 8725 §3.1',
  },
  assertion_unknown_key: {
    detects:
      'An assertion whose kid header names no key the client registered, or that has no kid while the client registered several keys.',
    severity: 'error',
    title: 'Assertion key not registered',
    fix:
      'Put the kid of the signing key in the header, and register its public key first (in jwks ' +
      'at registration, or with PUT on the client configuration endpoint when you rotate keys).',
    reference: 'RFC 7515 §4.1.4, RFC 7591 §2 (jwks)',
  },
  assertion_bad_signature: {
    detects: 'An assertion whose signature does not verify with the registered public key its kid names.',
    severity: 'error',
    title: 'Assertion signature does not verify',
    fix:
      'Sign with the private key that belongs to the registered public key (a key pair ' +
      'regenerated since registration does not match), and change nothing in the JWT after ' +
      'signing it.',
    reference: 'RFC 7523 §3 item 9',
  },
  assertion_issuer_mismatch: {
    detects:
      "An assertion whose iss or sub is not the client's client_id, or whose form client_id names another client.",
    severity: 'error',
    title: 'Assertion iss or sub is not the client_id',
    fix: 'Set both iss and sub to your client_id, and the form client_id (if you send one) to the same value.',
    reference: 'RFC 7523 §3 items 1-2, RFC 7521 §4.2',
  },
  assertion_audience: {
    detects:
      "An assertion whose aud is not the sandbox's issuer identifier (nor its token endpoint URL), or lists several audiences.",
    severity: 'error',
    title: 'Wrong assertion audience',
    fix: "Set aud to the authorization server's issuer identifier, the issuer of its metadata (/.well-known/oauth-authorization-server), as one string.",
    reference: 'RFC 7523 §3 item 3',
  },
  assertion_exp_missing: {
    detects: 'An assertion without an exp claim.',
    severity: 'error',
    title: 'Assertion without exp',
    fix: 'Add exp, a NumericDate a short while ahead (60 seconds is plenty: the assertion is used at once).',
    reference: 'RFC 7523 §3 item 4',
  },
  assertion_expired: {
    detects: 'An assertion whose exp has passed: how long ago, by the sandbox clock.',
    severity: 'error',
    title: 'Expired assertion',
    fix: 'Sign a new assertion for every token request, just before sending it, rather than keeping one.',
    reference: 'RFC 7523 §3 item 4',
  },
  assertion_lifetime_too_long: {
    detects:
      'An assertion whose exp is more than five minutes ahead (the sandbox takes at most 300 seconds).',
    severity: 'error',
    title: 'Assertion lives too long',
    fix: 'Give each assertion a short life, 60 seconds for instance: a stolen assertion is then soon useless.',
    reference: 'RFC 7523 §3 item 4, RFC 9700 §2.5',
  },
  assertion_clock_skew: {
    detects: 'An assertion whose iat or nbf lies in the future of the sandbox clock, with the measured skew.',
    severity: 'error',
    title: "Client clock ahead of the server's",
    fix: "Synchronise the client machine's clock (NTP); the sandbox allows 10 seconds of skew.",
    reference: 'RFC 7523 §3 items 5-6',
  },
  assertion_jti_missing: {
    detects: 'An assertion without a jti claim (or an empty one).',
    severity: 'error',
    title: 'Assertion without jti',
    fix: 'Add jti, a new random value (a UUID) for every assertion.',
    reference: 'RFC 7523 §3 item 7',
  },
  assertion_replayed: {
    detects: 'An assertion whose jti the sandbox has already accepted once for this client.',
    severity: 'error',
    title: 'Assertion used twice',
    fix: 'Sign a new assertion, with a new jti, for every token request, retries included; never cache or reuse one.',
    reference: 'RFC 7523 §3 item 7',
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
    fix:
      'Renew the token shortly before it expires (the reference client renews 60 seconds before expires_in runs out, ' +
      'or at half the lifetime of a token that lives under two minutes), and keep using it until then.',
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
