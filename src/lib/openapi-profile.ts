import { z } from 'zod';
import type { ApiProfile, ApiScope } from './api-profile.ts';

/**
 * A team points the guide at the OpenAPI document it already maintains (`API_OPENAPI=<path>`):
 * the API's name, production token URL, API base URL and scopes come from it; what OpenAPI
 * cannot say (token lifetime, where production credentials come from, support) stays in
 * src/lib/api-profile.ts, unless the document's `x-api-guide` extension says it.
 *
 * - name: `info.title`
 * - apiBaseUrl: `servers[0].url`
 * - productionTokenUrl and scopes: the `clientCredentials` flow of the document's oauth2 security
 *   scheme (OpenAPI 3.1 §4.8.29-30); a relative `tokenUrl` is resolved against `servers[0].url`
 * - readScope: the first scope a `get` operation requires; writeScope: the first other scope a
 *   `post`, `put`, `patch` or `delete` operation requires (operation `security`, else the
 *   document's), unless `x-api-guide` names them
 */

/** Thrown when the document cannot give a profile; the message names the missing field. */
export class OpenApiProfileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OpenApiProfileError';
  }
}

const contact = z.object({ label: z.string().min(1), url: z.string().min(1) });

/** `x-api-guide`: the profile's other fields, for a document that carries them itself. */
const guideExtension = z
  .object({
    tokenLifetimeSeconds: z.number().int().positive(),
    productionCredentials: contact.extend({ instructions: z.string().min(1) }),
    support: contact,
    readScope: z.string().min(1),
    writeScope: z.string().min(1),
  })
  .partial()
  .strict();

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function field(parent: unknown, path: string, name: string): unknown {
  if (!isObject(parent)) throw new OpenApiProfileError(`${path} must be an object`);
  return parent[name];
}

function requiredString(parent: unknown, path: string, name: string): string {
  const value = field(parent, path, name);
  if (value === undefined || value === null) throw new OpenApiProfileError(`${path}.${name} is missing`);
  if (typeof value !== 'string' || value.trim() === '')
    throw new OpenApiProfileError(`${path}.${name} must be a non-empty string`);
  return value;
}

function absoluteUrl(value: string, path: string, base?: string): string {
  if (!URL.canParse(value, base))
    throw new OpenApiProfileError(`${path} must be a URL (got ${JSON.stringify(value)})`);
  const url = new URL(value, base);
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new OpenApiProfileError(`${path} must be an http(s) URL (got ${JSON.stringify(value)})`);
  return url.href.replace(/\/$/, '');
}

const writeMethods = ['post', 'put', 'patch', 'delete'] as const;

/** The scopes each operation of `method` requires of `scheme`, in document order. */
function scopesRequiredBy(document: Json, scheme: string, methods: readonly string[]): string[] {
  const scopes: string[] = [];
  const paths = isObject(document.paths) ? document.paths : {};
  for (const item of Object.values(paths)) {
    if (!isObject(item)) continue;
    for (const method of methods) {
      const operation = item[method];
      if (!isObject(operation)) continue;
      // OpenAPI 3.1 §4.8.10: an operation's `security` replaces the document's.
      const requirements = operation.security ?? document.security;
      if (!Array.isArray(requirements)) continue;
      for (const requirement of requirements) {
        const required = isObject(requirement) ? requirement[scheme] : undefined;
        if (Array.isArray(required))
          scopes.push(...required.filter((scope): scope is string => typeof scope === 'string'));
      }
    }
  }
  return scopes;
}

/**
 * The profile a team's OpenAPI document describes, on top of `base` (the profile file) for what
 * the document does not say. Throws {@link OpenApiProfileError} naming the missing or bad field.
 */
export function profileFromOpenApi(document: unknown, base: ApiProfile): ApiProfile {
  if (!isObject(document)) throw new OpenApiProfileError('the document must be a JSON or YAML object');
  const version = document.openapi;
  if (typeof version !== 'string' || !/^3\.\d+\.\d+/.test(version))
    throw new OpenApiProfileError(
      `openapi ${version === undefined ? 'is missing' : `must be 3.x (got ${JSON.stringify(version)})`}: this reads OpenAPI 3.0 and 3.1 documents`,
    );
  const name = requiredString(document.info, 'info', 'title');

  const servers = document.servers;
  if (!Array.isArray(servers) || servers.length === 0)
    throw new OpenApiProfileError('servers is missing: the API base URL is servers[0].url');
  const apiBaseUrl = absoluteUrl(requiredString(servers[0], 'servers[0]', 'url'), 'servers[0].url');

  const schemes = field(document.components, 'components', 'securitySchemes');
  if (!isObject(schemes))
    throw new OpenApiProfileError(
      'components.securitySchemes is missing: the token URL and scopes come from its oauth2 clientCredentials flow',
    );
  const found = Object.entries(schemes).filter(
    ([, scheme]) =>
      isObject(scheme) &&
      scheme.type === 'oauth2' &&
      isObject(scheme.flows) &&
      isObject(scheme.flows.clientCredentials),
  );
  if (found.length === 0)
    throw new OpenApiProfileError(
      'components.securitySchemes has no oauth2 scheme with flows.clientCredentials',
    );
  const [schemeName, scheme] = found[0] as [string, Json];
  const flowPath = `components.securitySchemes.${schemeName}.flows.clientCredentials`;
  const flow = (scheme.flows as Json).clientCredentials as Json;
  const productionTokenUrl = absoluteUrl(
    requiredString(flow, flowPath, 'tokenUrl'),
    `${flowPath}.tokenUrl`,
    `${apiBaseUrl}/`,
  );
  const scopeMap = flow.scopes;
  if (!isObject(scopeMap)) throw new OpenApiProfileError(`${flowPath}.scopes is missing`);
  const scopes: ApiScope[] = Object.entries(scopeMap).map(([scope, description]) => {
    if (typeof description !== 'string')
      throw new OpenApiProfileError(`${flowPath}.scopes.${scope} must be a string: the scope's sentence`);
    return { name: scope, description: description.trim() || scope };
  });
  if (scopes.length < 2)
    throw new OpenApiProfileError(
      `${flowPath}.scopes must list at least two scopes: one that reads, one that writes`,
    );

  const extensionResult = guideExtension.safeParse(document['x-api-guide'] ?? {});
  if (!extensionResult.success) {
    const issue = extensionResult.error.issues[0];
    throw new OpenApiProfileError(
      `x-api-guide${issue?.path.length ? `.${issue.path.join('.')}` : ''}: ${issue?.message ?? 'is not valid'}`,
    );
  }
  const extension = extensionResult.data;

  const readScope = extension.readScope ?? scopesRequiredBy(document, schemeName, ['get'])[0];
  if (readScope === undefined)
    throw new OpenApiProfileError(
      `paths: no get operation requires a scope of ${schemeName} (its security), so the read scope is unknown; or set x-api-guide.readScope`,
    );
  const writeScope =
    extension.writeScope ??
    scopesRequiredBy(document, schemeName, writeMethods).find((scope) => scope !== readScope);
  if (writeScope === undefined)
    throw new OpenApiProfileError(
      `paths: no post, put, patch or delete operation requires a scope of ${schemeName} other ` +
        `than ${readScope}, so the write scope is unknown; or set x-api-guide.writeScope`,
    );

  return {
    ...base,
    name,
    apiBaseUrl,
    productionTokenUrl,
    scopes,
    readScope,
    writeScope,
    ...(extension.tokenLifetimeSeconds !== undefined
      ? { tokenLifetimeSeconds: extension.tokenLifetimeSeconds }
      : {}),
    ...(extension.productionCredentials ? { productionCredentials: extension.productionCredentials } : {}),
    ...(extension.support ? { support: extension.support } : {}),
  };
}
