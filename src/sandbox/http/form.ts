import { decodeFormComponent } from '../../lib/form-urlencoding.ts';
import { bufferedBodyBytes, decodeUtf8Body, readBodyBytes } from './body.ts';
import { mediaType } from './media-type.ts';
import { OAuthError } from './oauth-error.ts';

/** The parameters of a form body; read them with {@link formParameter}. */
export type FormParameters = ReadonlyMap<string, readonly string[]>;

/**
 * Reads an `application/x-www-form-urlencoded` body (RFC 6749 §3.2, Appendix B). Anything else,
 * bytes that are not UTF-8 and broken percent escapes are `invalid_request`. RFC 6749 §3.2:
 * parameters sent without a value are treated as omitted, so they are dropped here.
 */
export async function readForm(request: Request): Promise<FormParameters> {
  const { type, utf8 } = mediaType(request);
  if (type !== 'application/x-www-form-urlencoded' || !utf8) {
    throw new OAuthError(
      'invalid_request',
      400,
      'The request body must be application/x-www-form-urlencoded (RFC 6749 section 3.2).',
    );
  }
  const text = decodeUtf8Body(bufferedBodyBytes(request) ?? (await readBodyBytes(request)));
  const parameters = new Map<string, string[]>();
  for (const pair of text.split('&')) {
    if (pair === '') continue;
    const equals = pair.indexOf('=');
    const name = decodeFormComponent(equals < 0 ? pair : pair.slice(0, equals));
    const value = decodeFormComponent(equals < 0 ? '' : pair.slice(equals + 1));
    if (name === undefined || value === undefined) {
      throw new OAuthError(
        'invalid_request',
        400,
        'The request body has a broken percent-encoding or is not UTF-8 once decoded.',
      );
    }
    if (value === '') continue;
    const values = parameters.get(name);
    if (values) values.push(value);
    else parameters.set(name, [value]);
  }
  return parameters;
}

/**
 * One parameter's value, or undefined when absent. RFC 6749 §3.2: a parameter must not be
 * included more than once, so a repeated one is `invalid_request`. Only names the sandbox knows
 * reach this function, so the description never echoes input.
 */
export function formParameter(parameters: FormParameters, name: string): string | undefined {
  const values = parameters.get(name);
  if (!values) return undefined;
  if (values.length > 1)
    throw new OAuthError('invalid_request', 400, `The parameter ${name} is included more than once.`);
  return values[0];
}

/** Parameters that carry a secret: a client secret (RFC 6749 §2.3.1) or a token (RFC 7009, RFC 7662, RFC 6750 §2.3). */
const secretParameters = ['client_secret', 'token', 'access_token'] as const;

/**
 * Refuses a request whose URL carries a secret. RFC 6749 §2.3.1: client credentials "MUST NOT be
 * included in the request URI"; URLs end up in proxy logs, browser history and Referer headers.
 * The check runs before anything is read, and the answer does not repeat the value.
 */
export function refuseSecretsInUrl(request: Request): void {
  const url = request.url;
  const queryStart = url.indexOf('?');
  if (queryStart < 0) return;
  const query = new URLSearchParams(
    url.slice(queryStart + 1, url.includes('#') ? url.indexOf('#') : undefined),
  );
  if (secretParameters.some((name) => query.has(name))) {
    throw new OAuthError(
      'invalid_request',
      400,
      'Secrets and tokens go in the request body or the Authorization header, never in the URL (RFC 6749 section 2.3.1).',
    );
  }
}
