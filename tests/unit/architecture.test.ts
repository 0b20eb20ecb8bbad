import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The boundaries of the house (README, "Layout"): who may import what. Each failure names the
 * file and the import that crosses a boundary.
 */
const root = resolve(import.meta.dirname, '../..');
const src = join(root, 'src');

function filesUnder(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && /\.(ts|tsx|astro)$/.test(entry.name))
    .map((entry) => join(entry.parentPath, entry.name));
}

/** Every module specifier a file imports or re-exports (static and dynamic). */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const found = new Set<string>();
  for (const match of text.matchAll(/(?:^|\s)(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]/gm))
    found.add(match[1]!);
  for (const match of text.matchAll(/^\s*import\s+['"]([^'"]+)['"]/gm)) found.add(match[1]!);
  for (const match of text.matchAll(/import\(\s*['"]([^'"]+)['"]\s*\)/g)) found.add(match[1]!);
  return [...found];
}

/** An import as a path under src (`lib/jwt.ts`), or the package name for a bare specifier. */
function target(file: string, specifier: string): { local: string } | { package: string } {
  if (specifier.startsWith('.')) return { local: relative(src, resolve(dirname(file), specifier)) };
  return { package: specifier };
}

const isBuiltin = (name: string) => name.startsWith('node:') || builtinModules.includes(name);

/** The imports of every file under `folder` that `allowed` refuses, as "file → import". */
function violations(
  folder: string,
  allowed: (to: ReturnType<typeof target>, from: string) => boolean,
): string[] {
  return filesUnder(join(src, folder)).flatMap((file) =>
    importsOf(file)
      .filter((specifier) => !allowed(target(file, specifier), relative(src, file)))
      .map((specifier) => `${relative(root, file)} → ${specifier}`),
  );
}

const inside = (to: ReturnType<typeof target>, folder: string) =>
  'local' in to && to.local.startsWith(`${folder}/`);

describe('the boundaries of the house', () => {
  it('islands never import the sandbox (no key, secret or store code in a browser bundle)', () => {
    expect(violations('islands', (to) => !inside(to, 'sandbox') && !inside(to, 'server'))).toEqual([]);
  });

  it('src/lib imports no other project folder', () => {
    expect(violations('lib', (to) => !('local' in to) || to.local.startsWith('lib/'))).toEqual([]);
  });

  it('the server imports the sandbox through its public face only', () => {
    expect(
      violations(
        'server',
        (to) => !inside(to, 'sandbox') || ('local' in to && to.local === 'sandbox/index.ts'),
      ),
    ).toEqual([]);
  });

  it('the sandbox imports only src/lib, jose and Node built-ins', () => {
    expect(
      violations('sandbox', (to) =>
        'local' in to
          ? inside(to, 'sandbox') || inside(to, 'lib')
          : to.package === 'jose' || isBuiltin(to.package),
      ),
    ).toEqual([]);
  });

  it('finds the imports it checks (the test looks at real files)', () => {
    expect(importsOf(join(src, 'server/start.ts'))).toContain('../sandbox/index.ts');
    expect(filesUnder(join(src, 'islands')).length).toBeGreaterThan(10);
  });
});
