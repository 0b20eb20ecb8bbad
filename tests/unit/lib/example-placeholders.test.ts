import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { editedApiProfile, scopeNamesOf } from '../../../src/lib/api-profile.ts';
import {
  examplePlaceholders,
  renderExample,
  undefinedScopeOf,
} from '../../../src/lib/example-placeholders.ts';
import { loadApiProfile } from '../../../src/server/api-profile-source.ts';

const examplesDir = 'content/examples';
const files = (dir: string): string[] =>
  readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
const sampleFiles = files(examplesDir).map((path) => relative(examplesDir, path));

const teamProfile = loadApiProfile({ API_OPENAPI: 'tests/fixtures/team-api/openapi.yaml' });
const profiles = [
  ['the profile file', editedApiProfile],
  ['the team OpenAPI fixture', teamProfile],
] as const;

describe('renderExample', () => {
  it('fills in every placeholder, form-encoding the _FORM ones', () => {
    const context = { profile: teamProfile, origin: 'https://guide.northwind.example' };
    expect(
      renderExample(
        '{{HOST}} {{READ_SCOPE}} {{WRITE_SCOPE}} [{{ALL_SCOPES}}] {{READ_SCOPE_FORM}} {{SANDBOX_TOKEN_LIFETIME}}',
        context,
      ),
    ).toBe(
      'guide.northwind.example invoices.read invoices.write [invoices.read invoices.write customers.read] invoices.read 900',
    );
    expect(renderExample('{{UNDEFINED_SCOPE}}', context)).toBe('invoices.delete');
  });

  it('refuses an unknown placeholder, naming it and the file', () => {
    expect(() =>
      renderExample(
        'scope={{READ_SCOPES}}',
        { profile: editedApiProfile, origin: 'http://localhost:4321' },
        'x.sh',
      ),
    ).toThrow('x.sh: unknown placeholder {{READ_SCOPES}}');
  });

  it('finds a scope the API does not define for the invalid_scope example', () => {
    for (const [, profile] of profiles)
      expect(scopeNamesOf(profile)).not.toContain(undefinedScopeOf(profile));
  });
});

describe.each(profiles)('every sample, rendered for %s', (_name, profile) => {
  const context = { profile, origin: 'http://127.0.0.1:4555' };
  const defaultScopes = scopeNamesOf(editedApiProfile);

  it.each(sampleFiles)('%s names scopes and origin only through placeholders', (file) => {
    const text = readFileSync(join(examplesDir, file), 'utf8');
    // A literal scope or origin would survive a team's rename: the point of the placeholders.
    for (const scope of defaultScopes) expect(text).not.toContain(scope);
    expect(text).not.toContain('localhost:4321');
    const rendered = renderExample(text, context, file);
    expect(rendered).not.toMatch(/\{\{[A-Z_]+\}\}/);
    if (text.includes('{{READ_SCOPE}}')) expect(rendered).toContain(profile.readScope);
    if (text.includes('{{WRITE_SCOPE}}')) expect(rendered).toContain(profile.writeScope);
  });

  it('uses each placeholder somewhere', () => {
    const all = sampleFiles.map((file) => readFileSync(join(examplesDir, file), 'utf8')).join('\n');
    for (const name of Object.keys(examplePlaceholders(context)).filter(
      (name) => name !== 'API_NAME' && name !== 'UNDEFINED_SCOPE',
    ))
      expect(all, name).toContain(`{{${name}}}`);
  });
});
