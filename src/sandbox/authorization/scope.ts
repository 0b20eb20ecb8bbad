/** RFC 6749 §3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E ). */
const scopeToken = /^[\x21\x23-\x5B\x5D-\x7E]+$/;

/** Longer scope strings are refused unread: the API defines a handful of short scopes. */
const maxScopeLength = 1_000;

/**
 * Parses a `scope` value (RFC 6749 §3.3: scope-tokens separated by single spaces, case-sensitive,
 * order irrelevant). Returns the distinct tokens in the order given, or undefined when the value is
 * malformed or absurdly long.
 */
export function parseScope(value: string): string[] | undefined {
  if (value.length === 0 || value.length > maxScopeLength) return undefined;
  const tokens = value.split(' ');
  if (!tokens.every((token) => scopeToken.test(token))) return undefined;
  return [...new Set(tokens)];
}
