import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { editedApiProfile, profileProblems, type ApiProfile } from '../../../src/lib/api-profile.ts';
import { OpenApiProfileError, profileFromOpenApi } from '../../../src/lib/openapi-profile.ts';
import { ApiProfileError, loadApiProfile } from '../../../src/server/api-profile-source.ts';

const fixturePath = 'tests/fixtures/team-api/openapi.yaml';
// Each case breaks the parsed YAML at a different depth: the document is untyped on purpose.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see above
type Fixture = Record<string, any>;
const fixture = () => parseYaml(readFileSync(fixturePath, 'utf8')) as Fixture;

describe('profileFromOpenApi', () => {
  it("reads the team's name, URLs, scopes and roles from servers and the clientCredentials flow", () => {
    const profile = profileFromOpenApi(fixture(), editedApiProfile);
    expect(profile).toEqual({
      name: 'Northwind Billing API',
      apiBaseUrl: 'https://billing.northwind.example/api/v2',
      productionTokenUrl: 'https://login.northwind.example/oauth2/v1/token',
      scopes: [
        { name: 'invoices.read', description: 'Read invoices and their lines.' },
        { name: 'invoices.write', description: 'Create and change invoices.' },
        { name: 'customers.read', description: 'Read customer records.' },
      ],
      readScope: 'invoices.read',
      writeScope: 'invoices.write',
      tokenLifetimeSeconds: 900,
      productionCredentials: expect.objectContaining({
        url: 'https://catalogue.northwind.example/billing-api/access',
      }),
      support: {
        label: '#billing-platform on chat',
        url: 'https://chat.northwind.example/channels/billing-platform',
      },
    });
    expect(profileProblems(profile)).toEqual([]);
  });

  it('keeps what OpenAPI cannot say from the profile file when the document has no x-api-guide', () => {
    const document = fixture();
    delete document['x-api-guide'];
    const profile = profileFromOpenApi(document, editedApiProfile);
    expect(profile.tokenLifetimeSeconds).toBe(editedApiProfile.tokenLifetimeSeconds);
    expect(profile.support).toEqual(editedApiProfile.support);
    expect(profile.productionCredentials).toEqual(editedApiProfile.productionCredentials);
  });

  it('resolves a relative tokenUrl against the server URL', () => {
    const document = fixture();
    document.components.securitySchemes.northwindLogin.flows.clientCredentials.tokenUrl = '/oauth/token';
    expect(profileFromOpenApi(document, editedApiProfile).productionTokenUrl).toBe(
      'https://billing.northwind.example/oauth/token',
    );
  });

  it.each<[string, (document: Fixture) => void, string]>([
    ['no openapi field', (d) => delete d.openapi, 'openapi is missing'],
    ['Swagger 2.0', (d) => (d.openapi = '2.0'), 'openapi must be 3.x'],
    ['no info.title', (d) => delete d.info.title, 'info.title is missing'],
    ['no servers', (d) => delete d.servers, 'servers is missing'],
    ['a server without url', (d) => (d.servers = [{ description: 'x' }]), 'servers[0].url is missing'],
    ['a relative server url', (d) => (d.servers = [{ url: '/api' }]), 'servers[0].url must be a URL'],
    [
      'no securitySchemes',
      (d) => delete d.components.securitySchemes,
      'components.securitySchemes is missing',
    ],
    [
      'no clientCredentials flow',
      (d) => (d.components.securitySchemes.northwindLogin.flows = { authorizationCode: {} }),
      'no oauth2 scheme with flows.clientCredentials',
    ],
    [
      'no tokenUrl',
      (d) => delete d.components.securitySchemes.northwindLogin.flows.clientCredentials.tokenUrl,
      'components.securitySchemes.northwindLogin.flows.clientCredentials.tokenUrl is missing',
    ],
    [
      'no scopes',
      (d) => delete d.components.securitySchemes.northwindLogin.flows.clientCredentials.scopes,
      'flows.clientCredentials.scopes is missing',
    ],
    [
      'no get operation requiring a scope',
      (d) => {
        delete d.paths['/invoices'].get;
        delete d.paths['/customers'];
        delete d.security;
      },
      'no get operation requires a scope of northwindLogin',
    ],
    [
      'no write operation requiring a scope',
      (d) => delete d.paths['/invoices'].post,
      'no post, put, patch or delete operation requires a scope',
    ],
    [
      'a bad x-api-guide lifetime',
      (d) => (d['x-api-guide'].tokenLifetimeSeconds = 'an hour'),
      'x-api-guide.tokenLifetimeSeconds',
    ],
  ])('refuses a document with %s, naming the field', (_case, spoil, message) => {
    const document = fixture();
    spoil(document);
    expect(() => profileFromOpenApi(document, editedApiProfile)).toThrow(OpenApiProfileError);
    expect(() => profileFromOpenApi(document, editedApiProfile)).toThrow(message);
  });
});

const notYaml = join(mkdtempSync(join(tmpdir(), 'openapi-')), 'broken.yaml');
writeFileSync(notYaml, 'openapi: [3.1.0\ninfo: {');

describe('loadApiProfile', () => {
  it('is the profile file without API_OPENAPI', () => {
    expect(loadApiProfile({})).toEqual(editedApiProfile);
  });

  it('reads API_OPENAPI, YAML or JSON', () => {
    expect(loadApiProfile({ API_OPENAPI: fixturePath }).name).toBe('Northwind Billing API');
  });

  it.each([
    ['a missing file', 'tests/fixtures/team-api/no-such-file.yaml', 'cannot read the file'],
    ['a file that is not JSON or YAML', notYaml, 'not valid JSON or YAML'],
    ['a file that is not an OpenAPI document', 'package.json', 'openapi is missing'],
  ])('names API_OPENAPI and the problem for %s', (_case, path, message) => {
    expect(() => loadApiProfile({ API_OPENAPI: path })).toThrow(ApiProfileError);
    expect(() => loadApiProfile({ API_OPENAPI: path })).toThrow(`API_OPENAPI=${path}: `);
    expect(() => loadApiProfile({ API_OPENAPI: path })).toThrow(message);
  });
});

describe('profileProblems', () => {
  it.each<[string, Partial<ApiProfile>, string]>([
    ['a read scope the API does not define', { readScope: 'nope' }, 'readScope "nope" is not one of scopes'],
    ['the same scope for reading and writing', { writeScope: editedApiProfile.readScope }, 'must differ'],
    ['a scope with a space', { scopes: [{ name: 'a b', description: 'x' }] }, 'not a valid scope token'],
    [
      'a relative token URL',
      { productionTokenUrl: '/oauth/token' },
      'productionTokenUrl must be an absolute',
    ],
    ['a lifetime of zero', { tokenLifetimeSeconds: 0 }, 'tokenLifetimeSeconds must be a positive'],
  ])('names %s', (_case, change, problem) => {
    expect(profileProblems({ ...editedApiProfile, ...change }).join('; ')).toContain(problem);
  });
});
