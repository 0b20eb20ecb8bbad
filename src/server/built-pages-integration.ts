import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AstroIntegration } from 'astro';
import { deferHiddenTabPanels } from './deferred-tab-panels.ts';
import { allowInlineStyles } from './inline-style-hashes.ts';
import { markOffscreenContent } from './offscreen-content.ts';

function htmlFiles(folder: string): string[] {
  return readdirSync(folder, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.html'))
    .map((entry) => join(entry.parentPath, entry.name));
}

/**
 * Rewrites the built pages: the hashes of their inline styles into their policy (first, while
 * every `<style>` is still an element), then the long blocks below the first screens marked to be
 * rendered only near the screen (src/server/offscreen-content.ts), then the content of hidden tab
 * panels into data. Listed
 * after Starlight, whose own `astro:build:done` runs Pagefind (Astro runs the integrations' hooks
 * in order): search indexes the pages as built, every panel's code included.
 */
export function builtPagesIntegration(): AstroIntegration {
  return {
    name: 'built-pages',
    hooks: {
      'astro:build:done': ({ dir, logger }) => {
        let rewritten = 0;
        for (const file of htmlFiles(fileURLToPath(dir))) {
          const html = readFileSync(file, 'utf8');
          const result = deferHiddenTabPanels(markOffscreenContent(allowInlineStyles(html)));
          if (result === html) continue;
          writeFileSync(file, result);
          rewritten += 1;
        }
        logger.info(
          `${rewritten} page(s) rewritten (inline style hashes, off-screen blocks, hidden tab panels as data)`,
        );
      },
    },
  };
}
