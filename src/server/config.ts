import { z } from 'zod';

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
  .refine((value) => {
    // zod runs refinements even after the URL check failed: parse defensively.
    if (!URL.canParse(value)) return true;
    const url = new URL(value);
    return url.pathname === '/' && !url.search && !url.hash && !url.username && !url.password;
  }, { error: 'must be an origin only (scheme, host and port), with no path, query or credentials' });

const sandboxDataSchema = z
  .string()
  .min(1, { error: 'must be a file path or :memory:' })
  .refine((value) => !value.includes('\0'), { error: 'must be a file path or :memory:' });

const rateLimitSchema = z.enum(['on', 'off'], { error: 'must be "on" or "off"' }).transform((value) => value === 'on');

/** The server's configuration, validated. */
export interface ServerConfig {
  host: string;
  port: number;
  /** The public origin without a trailing slash: the sandbox's issuer. */
  siteUrl: string;
  /** The sandbox's sqlite file (its folder is created on start), or ':memory:' to keep nothing. */
  sandboxData: string;
  /** Whether the sandbox rate-limits registrations and failed client authentications per address. */
  sandboxRateLimit: boolean;
}

function parseVariable<T>(name: string, schema: z.ZodType<T>, value: string): T {
  const result = schema.safeParse(value);
  if (!result.success) {
    const reason = result.error.issues[0]?.message ?? 'is not valid';
    throw new ConfigError(`${name} ${reason} (got ${JSON.stringify(value)}).`);
  }
  return result.data;
}

/**
 * Reads and validates the server's environment variables. A bad value throws a
 * {@link ConfigError} whose message names the variable.
 */
export function readServerConfig(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const host = parseVariable('HOST', hostSchema, env.HOST ?? 'localhost');
  const port = parseVariable('PORT', portSchema, env.PORT === undefined || env.PORT === '' ? '4321' : env.PORT);
  const siteUrl = env.SITE_URL
    ? new URL(parseVariable('SITE_URL', siteUrlSchema, env.SITE_URL)).origin
    : `http://localhost:${port}`;
  const sandboxData = parseVariable('SANDBOX_DATA', sandboxDataSchema, env.SANDBOX_DATA || '.data/sandbox.db');
  const sandboxRateLimit = parseVariable('SANDBOX_RATE_LIMIT', rateLimitSchema, env.SANDBOX_RATE_LIMIT || 'on');
  return { host, port, siteUrl, sandboxData, sandboxRateLimit };
}
