/**
 * WWW-Authenticate challenges (RFC 9110 §11.6.1): formatting for servers, parsing for clients.
 * Pure, so islands explain a 401 with the same code the sandbox uses to write it.
 */

/** One challenge: an auth-scheme with either auth-params or a token68. */
export interface Challenge {
  /** The auth-scheme as sent; compare it case-insensitively (RFC 9110 §11.1). */
  scheme: string;
  /** auth-params, names lowercased (they are case-insensitive, RFC 9110 §11.2). */
  params: Record<string, string>;
  /** The token68 form, when the challenge used it instead of params. */
  token68?: string;
}

function quote(value: string): string {
  return `"${value.replace(/[\\"]/g, (char) => `\\${char}`)}"`;
}

/**
 * Formats one challenge, every param value as a quoted-string. RFC 6750 §3 requires quoted values
 * for Bearer's own params; quoting the rest too is always valid.
 */
export function formatChallenge(scheme: string, params: Record<string, string | undefined> = {}): string {
  const parts = Object.entries(params)
    .filter((entry): entry is [string, string] => entry[1] !== undefined)
    .map(([name, value]) => `${name}=${quote(value)}`);
  return parts.length > 0 ? `${scheme} ${parts.join(', ')}` : scheme;
}

/**
 * Parses a WWW-Authenticate value that may hold several challenges. Returns undefined when the
 * value does not follow the grammar, so the caller can say the header is malformed.
 */
export function parseWwwAuthenticate(header: string): Challenge[] | undefined {
  const challenges: Challenge[] = [];
  let i = 0;
  const length = header.length;
  const skipSpace = () => {
    while (i < length && (header[i] === ' ' || header[i] === '\t')) i++;
  };
  const skipCommas = () => {
    skipSpace();
    while (i < length && header[i] === ',') {
      i++;
      skipSpace();
    }
  };
  const readToken = (): string => {
    const start = i;
    while (i < length && /[A-Za-z0-9!#$%&'*+.^_`|~-]/.test(header[i]!)) i++;
    return header.slice(start, i);
  };
  const readQuoted = (): string | undefined => {
    // RFC 9110 §5.6.4 quoted-string, with quoted-pair.
    i++;
    let value = '';
    while (i < length) {
      const char = header[i]!;
      if (char === '"') {
        i++;
        return value;
      }
      if (char === '\\') {
        if (i + 1 >= length) return undefined;
        value += header[i + 1];
        i += 2;
      } else {
        value += char;
        i++;
      }
    }
    return undefined;
  };

  skipCommas();
  while (i < length) {
    const scheme = readToken();
    if (!scheme) return undefined;
    const challenge: Challenge = { scheme, params: {} };
    challenges.push(challenge);
    skipSpace();
    // token68 (RFC 9110 §11.2): base64-like characters, "=" only as trailing padding, and nothing
    // after it but the end or a comma. "realm=..." fails that test, so it is read as an auth-param.
    const token68 = /^[A-Za-z0-9\-._~+/]+=*(?=[ \t]*(,|$))/.exec(header.slice(i));
    if (token68) {
      challenge.token68 = token68[0];
      i += token68[0].length;
      skipCommas();
      continue;
    }
    // auth-params, until the next token that is not followed by "=" (the next scheme).
    for (;;) {
      skipCommas();
      if (i >= length) break;
      const save = i;
      const name = readToken();
      if (!name) return undefined;
      skipSpace();
      if (header[i] !== '=') {
        i = save;
        break;
      }
      i++;
      skipSpace();
      let value: string | undefined;
      if (header[i] === '"') value = readQuoted();
      else {
        value = readToken();
        if (!value) value = undefined;
      }
      if (value === undefined) return undefined;
      challenge.params[name.toLowerCase()] = value;
      skipSpace();
      if (i < length && header[i] !== ',') return undefined;
    }
  }
  return challenges;
}
