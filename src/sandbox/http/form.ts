import { decodeFormComponent } from '../../lib/form-urlencoding.ts';
import { decodeUtf8Body, mediaType, readBodyBytes } from './limits.ts';
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
    throw new OAuthError('invalid_request', 400, 'The request body must be application/x-www-form-urlencoded (RFC 6749 section 3.2).');
  }
  const text = decodeUtf8Body(await readBodyBytes(request));
  const parameters = new Map<string, string[]>();
  for (const pair of text.split('&')) {
    if (pair === '') continue;
    const equals = pair.indexOf('=');
    const name = decodeFormComponent(equals < 0 ? pair : pair.slice(0, equals));
    const value = decodeFormComponent(equals < 0 ? '' : pair.slice(equals + 1));
    if (name === undefined || value === undefined) {
      throw new OAuthError('invalid_request', 400, 'The request body has a broken percent-encoding or is not UTF-8 once decoded.');
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
  if (values.length > 1) throw new OAuthError('invalid_request', 400, `The parameter ${name} is included more than once.`);
  return values[0];
}
