import { type ApiProfile } from '../lib/api-profile.ts';
import { sandboxDefaultLifetime, accessTokenLifetime } from '../lib/sandbox-contract/bounds.ts';
import {
  checkCriterionIds,
  checkDuration,
  checkFaultKinds,
  checkTokenLifetimeSeconds,
  checkStatuses,
  criterionResults,
} from '../lib/sandbox-contract/checks.ts';
import { jwtBearerAssertionType } from '../lib/sandbox-contract/client-auth-methods.ts';

/**
 * `GET /openapi.json`: the sandbox described in OpenAPI 3.1, from the same API profile the sandbox
 * and the pages use (scopes, which one reads and which writes, name, lifetime), so Postman,
 * Insomnia, Bruno, Scalar or any generator can import it. `servers` is the public origin.
 */

const oauthError = {
  type: 'object',
  description: 'An OAuth 2.0 error answer (RFC 6749 §5.2, RFC 7591 §3.2.2).',
  required: ['error'],
  properties: {
    error: { type: 'string', description: 'The error code.', examples: ['invalid_client'] },
    error_description: { type: 'string', description: 'What went wrong, for the developer.' },
    error_uri: { type: 'string', format: 'uri', description: "The error's row on the guide's errors page." },
  },
} as const;

const jsonError = (description: string) => ({
  description,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/OAuthError' } } },
});

/** RFC 6750 §3: the API's refusals carry their reason in `WWW-Authenticate`. */
const bearerRefusal = (description: string) => ({
  description,
  headers: {
    'WWW-Authenticate': {
      description:
        'Bearer challenge (RFC 6750 §3) with `error`, `scope` and `resource_metadata` (RFC 9728 §5.1).',
      schema: { type: 'string' },
    },
  },
  content: { 'application/json': { schema: { $ref: '#/components/schemas/OAuthError' } } },
});

/** The API's 429, which only a client check injects. */
const rateLimitedByCheck = jsonError('`too_many_requests`, with `Retry-After`: injected by a client check.');

/** The OpenAPI 3.1 document of the sandbox served at `origin` for `profile`. */
export function openApiDocument(origin: string, profile: ApiProfile) {
  const scopes = Object.fromEntries(profile.scopes.map((scope) => [scope.name, scope.description]));
  return {
    openapi: '3.1.0',
    info: {
      title: `${profile.name} sandbox`,
      version: '1.0.0',
      summary: `A real OAuth 2.0 authorization server (client credentials) and a sample API standing in for the ${profile.name}.`,
      description: [
        `Register a disposable client with \`POST /oauth/register\`, get a token from \`POST ` +
          `/oauth/token\` with the client credentials grant, and call the sample API with it.`,
        `Production: token URL ${profile.productionTokenUrl}, API base URL ${profile.apiBaseUrl}.`,
      ].join('\n\n'),
      contact: { name: profile.support.label, url: profile.support.url },
      license: { name: 'Sandbox terms: disposable test data only', url: `${origin}/sandbox/` },
    },
    servers: [{ url: origin, description: 'The sandbox, served with this guide' }],
    tags: [
      { name: 'Authorization server', description: 'Registration and tokens (RFC 7591, RFC 6749 §4.4).' },
      {
        name: 'Sample API',
        description: `The protected sample API: ${profile.readScope} reads, ${profile.writeScope} writes.`,
      },
      {
        name: 'Client checks',
        description:
          'The report card: a check of a client injects faults into its traffic for a window and grades how it answered.',
      },
    ],
    paths: {
      '/oauth/register': {
        post: {
          operationId: 'registerClient',
          summary: 'Register a disposable client',
          description:
            'Open dynamic client registration (RFC 7591). Sandbox clients expire 24 hours after registration.',
          tags: ['Authorization server'],
          security: [],
          requestBody: {
            required: false,
            content: { 'application/json': { schema: { $ref: '#/components/schemas/ClientMetadata' } } },
          },
          responses: {
            '201': {
              description: 'The client, with its secret (shown this once).',
              content: { 'application/json': { schema: { $ref: '#/components/schemas/ClientInformation' } } },
            },
            '400': jsonError('`invalid_client_metadata`: a field the sandbox cannot accept.'),
            '429': jsonError('Too many registrations from this address; see `Retry-After`.'),
          },
        },
      },
      '/oauth/token': {
        post: {
          operationId: 'requestToken',
          summary: 'Request an access token',
          description:
            'The client credentials grant (RFC 6749 §4.4). The client authenticates as it registered: ' +
            'HTTP Basic (`client_secret_basic`), `client_id` and `client_secret` in the form body ' +
            '(`client_secret_post`), or a signed JWT assertion (`private_key_jwt`, RFC 7523); one ' +
            'method per request.',
          tags: ['Authorization server'],
          // RFC 6749 §2.3.1: Basic, or the credentials (or an RFC 7523 assertion) in the body, which
          // no security scheme describes.
          security: [{ clientSecretBasic: [] }, {}],
          requestBody: {
            required: true,
            content: {
              'application/x-www-form-urlencoded': {
                schema: { $ref: '#/components/schemas/TokenRequest' },
                // The usual request: credentials in the Basic header (the security above), so the
                // body carries no client_id or client_secret (RFC 6749 §2.3.1: one method only).
                example: { grant_type: 'client_credentials', scope: profile.readScope },
              },
            },
          },
          responses: {
            '200': {
              description: 'An access token (RFC 6749 §5.1); no refresh token.',
              headers: { 'Cache-Control': { description: 'Always `no-store`.', schema: { type: 'string' } } },
              content: { 'application/json': { schema: { $ref: '#/components/schemas/TokenResponse' } } },
            },
            '400': jsonError(
              '`invalid_request`, `invalid_grant`, `unauthorized_client`, `unsupported_grant_type` or `invalid_scope` (RFC 6749 §5.2).',
            ),
            '401': {
              ...jsonError(
                '`invalid_client`: wrong, missing or unknown credentials, or the other method than registered.',
              ),
              headers: {
                'WWW-Authenticate': { description: 'A Basic challenge.', schema: { type: 'string' } },
              },
            },
            '429': jsonError('Too many failed authentications; see `Retry-After`.'),
            '503': jsonError(
              '`temporarily_unavailable`, with `Retry-After`: the sandbox is shutting down, cannot reach its store, or a client check injected it.',
            ),
          },
        },
      },
      '/oauth/clients/{client_id}/checks': {
        parameters: [{ $ref: '#/components/parameters/ClientId' }],
        post: {
          operationId: 'startClientCheck',
          summary: 'Start a check of the client',
          description:
            `For the window (${checkDuration.min} to ${checkDuration.max} seconds, default ` +
            `${checkDuration.default}), this client's tokens live ${checkTokenLifetimeSeconds} s and ` +
            `the sandbox injects faults into its traffic (a 503 at the token endpoint, a revoked ` +
            `token, a 429 at the API), then grades how the client answered. One check at a time per ` +
            `client.`,
          tags: ['Client checks'],
          security: [{ registrationAccessToken: [] }],
          requestBody: {
            required: false,
            content: { 'application/json': { schema: { $ref: '#/components/schemas/StartCheck' } } },
          },
          responses: {
            '201': {
              description: 'The check, running; `Location` is its URL.',
              headers: {
                Location: { description: "The check's URL.", schema: { type: 'string', format: 'uri' } },
              },
              content: { 'application/json': { schema: { $ref: '#/components/schemas/ClientCheck' } } },
            },
            '400': jsonError('`invalid_request`: the body is not JSON, or the duration is out of bounds.'),
            '401': {
              ...jsonError("No registration access token, or not this client's (`invalid_token`)."),
              headers: {
                'WWW-Authenticate': {
                  description: 'A Bearer challenge (RFC 6750 §3).',
                  schema: { type: 'string' },
                },
              },
            },
            '409': jsonError('A check of this client is running; the description names its URL.'),
          },
        },
      },
      '/oauth/clients/{client_id}/checks/{check_id}': {
        parameters: [
          { $ref: '#/components/parameters/ClientId' },
          {
            name: 'check_id',
            in: 'path',
            required: true,
            description: "The check's id: 128 random bits, base64url.",
            schema: { type: 'string', pattern: '^[A-Za-z0-9_-]{22}$' },
          },
        ],
        get: {
          operationId: 'readClientCheck',
          summary: 'Read a check (its report card)',
          description:
            'No credentials: the id is the capability, and the report holds no secret. With `Accept: ' +
            'text/event-stream`, an event `check` each time it changes; the last when `status` is ' +
            '`done`.',
          tags: ['Client checks'],
          security: [],
          responses: {
            '200': {
              description: 'The check, graded so far; final once `status` is `done`.',
              content: {
                'application/json': { schema: { $ref: '#/components/schemas/ClientCheck' } },
                'text/event-stream': {
                  schema: {
                    type: 'string',
                    description: 'Server-sent events `check`, each with the check as JSON.',
                  },
                },
              },
            },
            '404': jsonError('`not_found`: no check with this id for this client.'),
            '429': jsonError('Too many live check streams from this address; see `Retry-After`.'),
          },
        },
      },
      '/api/v1/reports': {
        get: {
          operationId: 'listReports',
          summary: 'List reports',
          description: `Needs the scope \`${profile.readScope}\`.`,
          tags: ['Sample API'],
          security: [{ sandboxOAuth: [profile.readScope] }],
          responses: {
            '200': {
              description: 'The sample reports and those this client created.',
              content: { 'application/json': { schema: { $ref: '#/components/schemas/ReportList' } } },
            },
            '400': bearerRefusal('`invalid_request`: for example the token sent in the URL.'),
            '401': bearerRefusal(
              'No token (no `error`), or `invalid_token`: expired, revoked, forged or for another audience.',
            ),
            '403': bearerRefusal(`\`insufficient_scope\`: the token lacks \`${profile.readScope}\`.`),
            '429': rateLimitedByCheck,
          },
        },
        post: {
          operationId: 'createReport',
          summary: 'Create a report',
          description: `Needs the scope \`${profile.writeScope}\`.`,
          tags: ['Sample API'],
          security: [{ sandboxOAuth: [profile.writeScope] }],
          requestBody: {
            required: true,
            content: { 'application/json': { schema: { $ref: '#/components/schemas/NewReport' } } },
          },
          responses: {
            '201': {
              description: 'The report created.',
              content: { 'application/json': { schema: { $ref: '#/components/schemas/Report' } } },
            },
            '400': bearerRefusal('`invalid_request`: the body is not a report.'),
            '401': bearerRefusal('No token (no `error`), or `invalid_token`.'),
            '403': bearerRefusal(`\`insufficient_scope\`: the token lacks \`${profile.writeScope}\`.`),
            '429': rateLimitedByCheck,
          },
        },
      },
    },
    components: {
      securitySchemes: {
        sandboxOAuth: {
          type: 'oauth2',
          description: 'Tokens from the sandbox, client credentials grant (RFC 6749 §4.4).',
          flows: { clientCredentials: { tokenUrl: `${origin}/oauth/token`, scopes } },
        },
        registrationAccessToken: {
          type: 'http',
          scheme: 'bearer',
          description: "The client's `registration_access_token` (RFC 7592 §2).",
        },
        clientSecretBasic: {
          type: 'http',
          scheme: 'basic',
          description:
            'The client ID and secret, each form-encoded, as HTTP Basic credentials (RFC 6749 §2.3.1).',
        },
      },
      parameters: {
        ClientId: {
          name: 'client_id',
          in: 'path',
          required: true,
          description: "The client's `client_id`.",
          schema: { type: 'string' },
        },
      },
      schemas: {
        OAuthError: oauthError,
        StartCheck: {
          type: 'object',
          properties: {
            duration: {
              type: 'integer',
              minimum: checkDuration.min,
              maximum: checkDuration.max,
              default: checkDuration.default,
              description: 'The window, in seconds.',
            },
          },
        },
        ClientCheck: {
          type: 'object',
          required: ['id', 'status', 'started_at', 'ends_at', 'url', 'criteria', 'faults', 'score'],
          properties: {
            id: { type: 'string' },
            status: { type: 'string', enum: [...checkStatuses] },
            started_at: { type: 'string', format: 'date-time' },
            ends_at: { type: 'string', format: 'date-time' },
            ended_at: { type: 'string', format: 'date-time', description: 'Once `status` is `done`.' },
            url: { type: 'string', format: 'uri', description: 'The permalink of the check.' },
            criteria: {
              type: 'array',
              items: {
                type: 'object',
                required: ['id', 'title', 'result', 'evidence', 'doc'],
                properties: {
                  id: { type: 'string', enum: [...checkCriterionIds] },
                  title: { type: 'string' },
                  result: { type: 'string', enum: [...criterionResults] },
                  evidence: { type: 'string', description: 'What the traffic showed, in numbers.' },
                  doc: {
                    type: 'string',
                    description: 'The guide paragraph that teaches it, relative to the site.',
                  },
                },
              },
            },
            faults: {
              type: 'array',
              items: {
                type: 'object',
                required: ['kind', 'at', 'detail'],
                properties: {
                  kind: { type: 'string', enum: [...checkFaultKinds] },
                  at: { type: 'string', format: 'date-time' },
                  detail: { type: 'string' },
                },
              },
            },
            score: {
              type: ['integer', 'null'],
              minimum: 0,
              maximum: 100,
              description:
                'Criteria passed out of criteria observed, in percent; null while none was observed.',
            },
          },
        },
        ClientMetadata: {
          type: 'object',
          description: 'Client metadata (RFC 7591 §2); every field is optional.',
          properties: {
            client_name: { type: 'string', maxLength: 200 },
            scope: {
              type: 'string',
              description: `Scopes the client may request, separated by spaces; default all: ${profile.scopes.map((scope) => scope.name).join(' ')}.`,
            },
            token_endpoint_auth_method: {
              type: 'string',
              enum: ['client_secret_basic', 'client_secret_post'],
            },
            access_token_lifetime: {
              type: 'integer',
              minimum: accessTokenLifetime.min,
              maximum: accessTokenLifetime.max,
              default: sandboxDefaultLifetime(profile),
              description: "The sandbox's own field: how long its tokens live, in seconds.",
            },
          },
        },
        ClientInformation: {
          type: 'object',
          required: [
            'client_id',
            'client_secret',
            'client_id_issued_at',
            'client_secret_expires_at',
            'scope',
          ],
          properties: {
            client_id: { type: 'string' },
            client_secret: { type: 'string' },
            client_id_issued_at: { type: 'integer' },
            client_secret_expires_at: { type: 'integer', description: '24 hours after registration.' },
            client_name: { type: 'string' },
            grant_types: { type: 'array', items: { type: 'string', const: 'client_credentials' } },
            token_endpoint_auth_method: { type: 'string' },
            scope: { type: 'string' },
            access_token_lifetime: { type: 'integer' },
            registration_access_token: { type: 'string', description: 'For RFC 7592 client management.' },
            registration_client_uri: { type: 'string', format: 'uri' },
          },
        },
        TokenRequest: {
          type: 'object',
          required: ['grant_type'],
          properties: {
            grant_type: { type: 'string', const: 'client_credentials' },
            scope: {
              type: 'string',
              description: 'Scopes separated by spaces; none asks for all the client registered.',
            },
            client_id: { type: 'string', description: 'Only with client_secret_post.' },
            client_secret: { type: 'string', description: 'Only with client_secret_post.' },
            client_assertion_type: {
              type: 'string',
              const: jwtBearerAssertionType,
              description: 'Only with private_key_jwt (RFC 7523 §2.2).',
            },
            client_assertion: { type: 'string', description: 'Only with private_key_jwt: the signed JWT.' },
          },
        },
        TokenResponse: {
          type: 'object',
          required: ['access_token', 'token_type', 'expires_in', 'scope'],
          properties: {
            access_token: { type: 'string', description: 'A JWT (RFC 9068); treat it as opaque.' },
            token_type: { type: 'string', const: 'Bearer' },
            expires_in: { type: 'integer', examples: [sandboxDefaultLifetime(profile)] },
            scope: { type: 'string' },
          },
        },
        Report: {
          type: 'object',
          required: ['id', 'title', 'summary', 'created_at', 'created_by'],
          properties: {
            id: { type: 'string' },
            title: { type: 'string' },
            summary: { type: 'string' },
            created_at: { type: 'string', format: 'date-time' },
            created_by: { type: 'string', description: 'The client_id that created it, or `sandbox`.' },
          },
        },
        ReportList: {
          type: 'object',
          required: ['reports'],
          properties: { reports: { type: 'array', items: { $ref: '#/components/schemas/Report' } } },
        },
        NewReport: {
          type: 'object',
          required: ['title'],
          properties: {
            title: { type: 'string', minLength: 1, maxLength: 200 },
            summary: { type: 'string', maxLength: 2000 },
          },
        },
      },
    },
  };
}
