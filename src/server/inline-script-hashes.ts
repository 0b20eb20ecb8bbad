import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * CSP hashes for `<script is:inline>` blocks, which Astro's `security.csp` does not hash (it hashes
 * the scripts it bundles). Starlight has several (theme before first paint, sidebar scroll, search
 * shortcut); without their hashes the page policy would block them. An `is:inline` script is
 * emitted byte for byte as written (Astro treats script content as raw text), so hashing the
 * component sources gives exactly the hashes the built pages need, and a Starlight upgrade that
 * changes a script changes its hash with it. Scripts with `define:vars` differ per render and are
 * skipped: none may be used under this policy (the CSP browser test would report it).
 */

const inlineScript = /<script\b([^>]*)>([\s\S]*?)<\/script>/g;

function astroFiles(folder: string): string[] {
  return readdirSync(folder, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.astro'))
    .map((entry) => join(entry.parentPath, entry.name));
}

/** `sha256-…` of the content of every hashable `is:inline` script in the .astro files under `folders`, sorted, distinct. */
export function inlineScriptHashes(folders: readonly string[]): `sha256-${string}`[] {
  const hashes = new Set<`sha256-${string}`>();
  for (const folder of folders) {
    for (const file of astroFiles(folder)) {
      for (const [, attributes = '', body = ''] of readFileSync(file, 'utf8').matchAll(inlineScript)) {
        if (
          !/\bis:inline\b/.test(attributes) ||
          /\bdefine:vars\b/.test(attributes) ||
          /\bsrc\s*=/.test(attributes)
        )
          continue;
        hashes.add(`sha256-${createHash('sha256').update(body, 'utf8').digest('base64')}`);
      }
    }
  }
  return [...hashes].sort();
}

/** The folder an installed package's main entry lives in (for Starlight: its dist/, which holds the components). */
export function packageEntryFolder(name: string): string {
  return fileURLToPath(new URL('.', import.meta.resolve(name)));
}
