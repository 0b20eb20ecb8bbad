import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { apiProfile, editedApiProfile, scopeNamesOf } from '../../src/lib/api-profile.ts';
import { undefinedScopeOf } from '../../src/lib/example-placeholders.ts';

// The site built from the team's OpenAPI document (npm run test:team-profile builds it into
// SITE_DIST first): its pages and island bundles show the team's API, and nothing of the profile
// file's.
const distDir = process.env.SITE_DIST ?? '.cache/team-site';

const filesUnder = (dir: string, extension: string): string[] =>
  readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return filesUnder(path, extension);
    return path.endsWith(extension) ? [path] : [];
  });

describe(`the site built for ${apiProfile.name}`, () => {
  it('is a profile other than the profile file, in every field the tests rely on', () => {
    expect(apiProfile.name).not.toBe(editedApiProfile.name);
    expect(scopeNamesOf(apiProfile)).not.toEqual(expect.arrayContaining(scopeNamesOf(editedApiProfile)));
    expect(apiProfile.tokenLifetimeSeconds).not.toBe(editedApiProfile.tokenLifetimeSeconds);
    expect(new URL(apiProfile.productionTokenUrl).host).not.toBe(
      new URL(editedApiProfile.productionTokenUrl).host,
    );
    expect(new URL(apiProfile.apiBaseUrl).pathname).not.toBe(new URL(editedApiProfile.apiBaseUrl).pathname);
  });

  it('was built', () => {
    expect(existsSync(join(distDir, 'index.html')), `${distDir}/index.html`).toBe(true);
  });

  const pages = existsSync(distDir) ? filesUnder(distDir, '.html') : [];
  /**
   * A built file's text as a reader's search or copy sees it: without the <wbr> line-break hints
   * that BreakableUrl puts inside URLs (src/components/BreakableUrl.astro).
   */
  const text = (file: string) => readFileSync(file, 'utf8').replace(/<wbr[^>]*>/g, '');
  const page = (path: string) => text(join(distDir, path));

  it.each([
    ['index.html', [apiProfile.name]],
    [
      'onboarding/index.html',
      [apiProfile.productionTokenUrl, apiProfile.apiBaseUrl, '15 minutes', apiProfile.support.label],
    ],
    [
      'sandbox/index.html',
      [...scopeNamesOf(apiProfile), ...apiProfile.scopes.map((scope) => scope.description)],
    ],
    ['requesting-a-token/index.html', [`scope=${apiProfile.readScope}`, apiProfile.productionTokenUrl]],
    ['using-the-token/index.html', [apiProfile.readScope, apiProfile.writeScope]],
    [
      'errors/index.html',
      [`needs the scope ${apiProfile.writeScope}`, `scope=${undefinedScopeOf(apiProfile)}`],
    ],
    ['api-reference/index.html', [apiProfile.readScope, apiProfile.writeScope]],
    ['api-reference/operations/requesttoken/index.html', [`scope=${apiProfile.readScope}`]],
  ])('%s shows the team API: %j', (path, texts) => {
    const html = page(path);
    for (const text of texts) expect(html, text).toContain(text);
  });

  it("no page or script names the profile file's API, scopes or URLs", () => {
    const leftovers = [
      editedApiProfile.name,
      ...scopeNamesOf(editedApiProfile),
      editedApiProfile.productionTokenUrl,
      editedApiProfile.apiBaseUrl,
    ];
    const files = [...pages, ...filesUnder(join(distDir, '_astro'), '.js')];
    expect(files.length).toBeGreaterThan(10);
    for (const file of files) {
      const content = text(file);
      for (const leftover of leftovers)
        expect(content.includes(leftover), `${file} contains ${leftover}`).toBe(false);
    }
  });

  it('has no placeholder left', () => {
    for (const file of pages) expect(readFileSync(file, 'utf8'), file).not.toMatch(/\{\{[A-Z_]+\}\}/);
  });
});
