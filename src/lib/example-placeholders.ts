import { scopeNamesOf, type ApiProfile } from './api-profile.ts';
import { sandboxDefaultLifetime } from './sandbox-contract/bounds.ts';
import { encodeFormComponent } from './form-urlencoding.ts';

/**
 * The samples in content/examples name the API's scopes and the site's origin through
 * placeholders such as `{{READ_SCOPE}}`, filled in from the API profile and the origin the site is
 * served on. The pages show the filled-in text (src/server/examples-vite-plugin.ts) and the tests
 * run the same filled-in text, so a team that renames its scopes sees its own names everywhere
 * and what the reader sees is still exactly what CI ran.
 */

/** What fills the placeholders. */
export interface ExampleContext {
  profile: ApiProfile;
  /** The public origin the site is served on (`SITE_URL`), without a trailing slash. */
  origin: string;
}

/**
 * A scope the API does not define, for the `invalid_scope` example: the write scope with its
 * last word turned into "delete" (`things:write` → `things:delete`), else `<write scope>.admin`.
 */
export function undefinedScopeOf(profile: ApiProfile): string {
  const names = scopeNamesOf(profile);
  const candidates = [profile.writeScope.replace(/[A-Za-z]+$/, 'delete'), `${profile.writeScope}.admin`];
  return candidates.find((name) => !names.includes(name)) ?? `${names.join('')}.undefined`;
}

/** Every placeholder and its value; `_FORM` values are form-urlencoded, as in a request body. */
export function examplePlaceholders({ profile, origin }: ExampleContext): Record<string, string> {
  const undefinedScope = undefinedScopeOf(profile);
  return {
    ORIGIN: origin,
    HOST: new URL(origin).host,
    API_NAME: profile.name,
    READ_SCOPE: profile.readScope,
    WRITE_SCOPE: profile.writeScope,
    ALL_SCOPES: scopeNamesOf(profile).join(' '),
    READ_SCOPE_FORM: encodeFormComponent(profile.readScope),
    UNDEFINED_SCOPE: undefinedScope,
    UNDEFINED_SCOPE_FORM: encodeFormComponent(undefinedScope),
    SANDBOX_TOKEN_LIFETIME: String(sandboxDefaultLifetime(profile)),
  };
}

const placeholder = /\{\{([A-Z][A-Z0-9_]*)\}\}/g;

/**
 * Fills in a sample's placeholders. An unknown placeholder throws, naming it and the file, so a
 * typo stops the build instead of reaching a page.
 */
export function renderExample(text: string, context: ExampleContext, file = 'an example'): string {
  const values = examplePlaceholders(context);
  return text.replace(placeholder, (match, name: string) => {
    const value = values[name];
    if (value === undefined)
      throw new Error(
        `${file}: unknown placeholder ${match}; the known ones are ${Object.keys(values).join(', ')}.`,
      );
    return value;
  });
}
