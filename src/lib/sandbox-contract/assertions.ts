import type { HttpExchange } from '../http-exchange.ts';
import { responseHeader, responseJson } from '../http-message.ts';
import { parseWwwAuthenticate } from '../www-authenticate.ts';
import { SandboxResponseError } from './response-error.ts';

/**
 * Field-by-field checks for the sandbox's answers, oauth4webapi style: each failure names the
 * field (`"response" body "access_token" must be a non-empty string`) and throws one
 * {@link SandboxResponseError} with code `invalid_response`.
 */

/** A JSON object, as parsed. */
export type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function invalid(label: string, rule: string, status: number): SandboxResponseError {
  return new SandboxResponseError('invalid_response', `"response" body ${label}must be ${rule}`, { status });
}

/** The error for a field that breaks a rule the checks below do not cover. */
export function invalidField(name: string, rule: string, status: number): SandboxResponseError {
  return invalid(`"${name}" `, rule, status);
}

/** The checks for one answer's body; `status` goes into every error they throw. */
export interface BodyAssertions {
  /** The body itself, which must be a JSON object. */
  object(): JsonObject;
  string(name: string): string;
  nonEmptyString(name: string): string;
  optionalString(name: string): string | undefined;
  number(name: string): number;
  positiveInteger(name: string): number;
  stringArray(name: string): string[];
  /** An array of JSON objects. */
  objectArray(name: string): JsonObject[];
  /** One of `allowed`, compared exactly. */
  oneOf<T extends string>(name: string, allowed: readonly T[]): T;
}

/** Checks for the fields of `body`, an answer with `status`. */
export function assertBody(body: unknown, status: number): BodyAssertions {
  const object = (): JsonObject => {
    if (!isObject(body)) throw invalid('', 'a JSON object', status);
    return body;
  };
  const field = (name: string) => object()[name];
  const label = (name: string) => `"${name}" `;
  return {
    object,
    string(name) {
      const value = field(name);
      if (typeof value !== 'string') throw invalid(label(name), 'a string', status);
      return value;
    },
    nonEmptyString(name) {
      const value = field(name);
      if (typeof value !== 'string' || value === '') throw invalid(label(name), 'a non-empty string', status);
      return value;
    },
    optionalString(name) {
      const value = field(name);
      if (value !== undefined && typeof value !== 'string') throw invalid(label(name), 'a string', status);
      return value;
    },
    number(name) {
      const value = field(name);
      if (typeof value !== 'number' || !Number.isFinite(value))
        throw invalid(label(name), 'a number', status);
      return value;
    },
    positiveInteger(name) {
      const value = field(name);
      if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0)
        throw invalid(label(name), 'a positive whole number', status);
      return value;
    },
    stringArray(name) {
      const value = field(name);
      if (!Array.isArray(value) || !value.every((item) => typeof item === 'string'))
        throw invalid(label(name), 'an array of strings', status);
      return value;
    },
    objectArray(name) {
      const value = field(name);
      if (!Array.isArray(value) || !value.every(isObject))
        throw invalid(label(name), 'an array of objects', status);
      return value;
    },
    oneOf(name, allowed) {
      const value = field(name);
      if (!allowed.includes(value as never))
        throw invalid(label(name), allowed.map((item) => `"${item}"`).join(' or '), status);
      return value as (typeof allowed)[number];
    },
  };
}

/** The `error` a refusal carries: a Bearer challenge's (RFC 6750 §3) first, else the JSON body's (RFC 6749 §5.2). */
export function refusalOf(
  status: number,
  body: unknown,
  wwwAuthenticate: string | undefined,
): { error: string | undefined; description: string | undefined; challenged: boolean } {
  const bearer = wwwAuthenticate
    ? parseWwwAuthenticate(wwwAuthenticate)?.find((item) => item.scheme.toLowerCase() === 'bearer')
    : undefined;
  const fromBody = isObject(body) && typeof body.error === 'string' ? body.error : undefined;
  const description =
    bearer?.params.error_description ??
    (isObject(body) && typeof body.error_description === 'string' ? body.error_description : undefined);
  return {
    error: bearer?.params.error ?? fromBody,
    description,
    challenged: bearer !== undefined || (status === 401 && wwwAuthenticate !== undefined),
  };
}

/**
 * The body of an answer with the `expected` status, parsed as JSON (undefined when empty or not
 * JSON). Anything else throws: no answer is `network_error`; an OAuth error (body or challenge)
 * is `oauth_error`; any other status is `unexpected_status`. `what` names the call in messages.
 */
export function expectStatus(exchange: HttpExchange, expected: number, what: string): unknown {
  const response = exchange.response;
  if (!response) {
    throw new SandboxResponseError(
      'network_error',
      `No answer: ${exchange.networkError ?? 'the sandbox could not be reached'}.`,
    );
  }
  const body = responseJson(response);
  if (response.status === expected) return body;
  const { status } = response;
  const refusal = refusalOf(status, body, responseHeader(response, 'www-authenticate'));
  if (refusal.error !== undefined || refusal.challenged) {
    const named = refusal.error ?? 'no error code';
    const said = refusal.description === undefined ? '' : `: ${refusal.description}`;
    throw new SandboxResponseError('oauth_error', `${what} was refused (HTTP ${status} ${named}${said}).`, {
      status,
      ...(refusal.error === undefined ? {} : { oauthError: refusal.error }),
      ...(refusal.description === undefined ? {} : { description: refusal.description }),
    });
  }
  throw new SandboxResponseError('unexpected_status', `${what} answered HTTP ${status}.`, { status });
}
