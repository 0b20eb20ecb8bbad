import { isIP } from 'node:net';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { ApiProfile } from '../lib/api-profile.ts';
import { ApiProfileError, apiOpenApiPath, loadApiProfile } from './api-profile-source.ts';
import { isCorsOriginEntry, defaultSigningKeyMaxAge, type SandboxOptions } from '../sandbox/index.ts';

const projectRoot = fileURLToPath(new URL('../../', import.meta.url));

/** Thrown when an environment variable has a value the server cannot use. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

const portSchema = z
  .string()
  .regex(/^\d{1,5}$/, { error: 'must be a whole number between 0 and 65535' })
  .transform(Number)
  .pipe(z.number().max(65535, { error: 'must be a whole number between 0 and 65535' }));

const hostSchema = z
  .string()
  .min(1, { error: 'must not be empty' })
  .regex(/^[A-Za-z0-9.:\-[\]]+$/, { error: 'must be a host name or an IP address' });

const siteUrlSchema = z
  .url({ protocol: /^https?$/, error: 'must be an absolute http:// or https:// URL' })
  .refine(
    (value) => {
      // zod runs refinements even after the URL check failed: parse defensively.
      if (!URL.canParse(value)) return true;
      const url = new URL(value);
      return url.pathname === '/' && !url.search && !url.hash && !url.username && !url.password;
    },
    { error: 'must be an origin only (scheme, host and port), with no path, query or credentials' },
  );

const folderSchema = z
  .string()
  .min(1, { error: 'must be a folder path' })
  .refine((value) => !value.includes('\0'), { error: 'must be a folder path' });

const sandboxDataSchema = z
  .string()
  .min(1, { error: 'must be a file path or :memory:' })
  .refine((value) => !value.includes('\0'), { error: 'must be a file path or :memory:' });

const rateLimitSchema = z
  .enum(['on', 'off'], { error: 'must be "on" or "off"' })
  .transform((value) => value === 'on');

// "https://app.example, http://localhost:5173": origins separated by commas, or "*" alone.
const corsOriginsSchema = z
  .string()
  .transform((value) =>
    value
      .split(',')
      .map((origin) => origin.trim())
      .filter((origin) => origin !== ''),
  )
  .refine((origins) => origins.every(isCorsOriginEntry), {
    error: 'must be origins (scheme://host[:port], no path or trailing slash) separated by commas, or *',
  })
  .refine((origins) => !origins.includes('*') || origins.length === 1, {
    error: 'must be * alone or a list of origins, not both',
  });

// redis://[user:pass@]host:port[/db] or rediss:// (TLS); the db is a number, nothing else may follow.
const redisUrlSchema = z.url({ protocol: /^rediss?$/, error: 'must be a redis:// or rediss:// URL' }).refine(
  (value) => {
    if (!URL.canParse(value)) return true;
    const url = new URL(value);
    return url.hostname !== '' && /^(\/\d{0,2})?$/.test(url.pathname) && !url.search && !url.hash;
  },
  { error: 'must be redis://[user:password@]host:port[/db], with no other path, query or fragment' },
);

/** True for an IP address or a CIDR block (`10.0.0.0/8`, `fd00::/8`). */
function isAddressOrBlock(entry: string): boolean {
  const [address, bits, ...rest] = entry.split('/');
  const version = isIP(address ?? '');
  if (version === 0 || rest.length > 0) return false;
  if (bits === undefined) return true;
  return /^\d{1,3}$/.test(bits) && Number(bits) <= (version === 4 ? 32 : 128);
}

// "10.0.0.5, 10.1.0.0/16": the proxies whose X-Forwarded-For the sandbox believes.
const trustedProxiesSchema = z
  .string()
  .transform((value) =>
    value
      .split(',')
      .map((entry) => entry.trim())
      .filter((entry) => entry !== ''),
  )
  .refine((entries) => entries.every(isAddressOrBlock), {
    error: 'must be IP addresses or CIDR blocks (10.0.0.0/8) separated by commas',
  });

const secondsPerUnit = { s: 1, m: 60, h: 3600, d: 86_400 } as const;
const signingKeyMaxAgeSchema = z
  .string()
  .regex(/^\d{1,9}[smhd]?$/, {
    error: 'must be a duration: whole seconds, or a number followed by s, m, h or d (e.g. 30d)',
  })
  .transform((value) => {
    const unit = /[smhd]$/.test(value) ? (value.at(-1) as keyof typeof secondsPerUnit) : 's';
    return Number.parseInt(value, 10) * secondsPerUnit[unit];
  })
  // Shorter would keep many retired keys in the JWKS: each stays published for an hour.
  .pipe(z.number().min(3600, { error: 'must be at least 1h (3600 seconds)' }));

/** An empty variable counts as unset, as a shell's `VAR=` means. */
function emptyAsUnset<T extends z.ZodType>(schema: T) {
  return z.preprocess((value) => (value === '' ? undefined : value), schema);
}

/**
 * The server's environment variables, in the order they are checked, and the configuration they
 * make: {@link ServerConfig} is this schema's output, so the type and the rules are written once.
 */
const environmentSchema = z
  .object({
    HOST: hostSchema.prefault('localhost'),
    PORT: emptyAsUnset(portSchema.prefault('4321')),
    SITE_URL: emptyAsUnset(siteUrlSchema.optional()),
    SANDBOX_DATA: emptyAsUnset(sandboxDataSchema.prefault('.data/sandbox.db')),
    SANDBOX_RATE_LIMIT: emptyAsUnset(rateLimitSchema.prefault('on')),
    SANDBOX_CORS_ORIGINS: corsOriginsSchema.prefault(''),
    SANDBOX_SIGNING_KEY_MAX_AGE: emptyAsUnset(
      signingKeyMaxAgeSchema.prefault(String(defaultSigningKeyMaxAge)),
    ),
    SANDBOX_REDIS_URL: emptyAsUnset(redisUrlSchema.optional()),
    SANDBOX_TRUSTED_PROXIES: trustedProxiesSchema.prefault(''),
    SITE_DIST: emptyAsUnset(folderSchema.prefault('dist')),
  })
  .transform((env) => ({
    host: env.HOST,
    port: env.PORT,
    /** The public origin without a trailing slash: the sandbox's issuer. */
    siteUrl: env.SITE_URL === undefined ? `http://localhost:${env.PORT}` : new URL(env.SITE_URL).origin,
    /** The sandbox's sqlite file (its folder is created on start), or ':memory:' to keep nothing. */
    sandboxData: env.SANDBOX_DATA,
    /** Whether the sandbox rate-limits registrations and failed client authentications per address. */
    sandboxRateLimit: env.SANDBOX_RATE_LIMIT,
    /** Origins whose browser apps may call discovery, the JWKS and the token endpoint; empty: none. */
    sandboxCorsOrigins: env.SANDBOX_CORS_ORIGINS,
    /** Seconds after which the sandbox rotates its signing key by itself. */
    sandboxSigningKeyMaxAge: env.SANDBOX_SIGNING_KEY_MAX_AGE,
    /** The shared Redis store's URL; undefined: the embedded sqlite store at `sandboxData`. */
    sandboxRedisUrl: env.SANDBOX_REDIS_URL,
    /** Addresses and CIDR blocks of the proxies whose `X-Forwarded-For` names the client; empty: none. */
    sandboxTrustedProxies: env.SANDBOX_TRUSTED_PROXIES,
    /** The folder the site is built into and served from (absolute). */
    siteDist: resolve(projectRoot, env.SITE_DIST),
  }));

/** The server's configuration, validated: what the environment says, and the API profile. */
export type ServerConfig = z.output<typeof environmentSchema> & {
  /** The API the guide and the sandbox describe (src/lib/api-profile.ts). */
  apiProfile: ApiProfile;
  /** The files the profile was read from besides src/lib/api-profile.ts (absolute paths). */
  apiProfileSources: string[];
};

/**
 * Reads and validates the server's environment variables. A bad value throws a
 * {@link ConfigError} whose message names the variable.
 */
export function readServerConfig(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const result = environmentSchema.safeParse(env);
  if (!result.success) {
    const issue = result.error.issues[0];
    const name = String(issue?.path[0] ?? 'The environment');
    throw new ConfigError(`${name} ${issue?.message ?? 'is not valid'} (got ${JSON.stringify(env[name])}).`);
  }
  // PORT=0 lets the system pick a port, which the default public origin could not name (it would
  // publish issuer http://localhost:0): the origin must then be given.
  if (result.data.port === 0 && !env.SITE_URL)
    throw new ConfigError(
      'PORT 0 (any free port) needs SITE_URL, the public origin the sandbox publishes as its issuer ' +
        '(got PORT="0" and no SITE_URL).',
    );
  let apiProfile: ApiProfile;
  try {
    apiProfile = loadApiProfile(env);
  } catch (error) {
    if (error instanceof ApiProfileError) throw new ConfigError(error.message);
    throw error;
  }
  const apiProfileSources = [apiOpenApiPath(env)].filter((path) => path !== undefined);
  return { ...result.data, apiProfile, apiProfileSources };
}

/** The sandbox options the configuration decides: issuer, store, limits, CORS, key age. */
export function sandboxOptionsFrom(config: ServerConfig): SandboxOptions {
  return {
    issuer: config.siteUrl,
    dataPath: config.sandboxData,
    rateLimit: config.sandboxRateLimit,
    corsOrigins: config.sandboxCorsOrigins,
    signingKeyMaxAge: config.sandboxSigningKeyMaxAge,
    profile: config.apiProfile,
  };
}
