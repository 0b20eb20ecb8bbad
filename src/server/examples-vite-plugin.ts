import { readFile } from 'node:fs/promises';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'vite';
import { renderExample, type ExampleContext } from '../lib/example-placeholders.ts';

const projectRoot = fileURLToPath(new URL('../../', import.meta.url));
const examplesDir = fileURLToPath(new URL('../../content/examples/', import.meta.url));

/**
 * The pages import their samples as text (`import sample from '../examples/x.sh?raw'`). For files
 * under content/examples this plugin answers those imports with the placeholders filled in from
 * the API profile and the site's origin (src/lib/example-placeholders.ts), so the pages show the
 * team's scopes and origin. Other `?raw` imports are left to Vite.
 */
export function examplesVitePlugin(context: ExampleContext): Plugin {
  return {
    name: 'examples-with-api-profile',
    // Before Vite's own `?raw` loader.
    enforce: 'pre',
    async load(id) {
      const [path = '', query] = id.split('?');
      if (query !== 'raw' || !path.startsWith(examplesDir)) return null;
      this.addWatchFile(path);
      const text = await readFile(path, 'utf8');
      return `export default ${JSON.stringify(renderExample(text, context, relative(projectRoot, path)))};`;
    },
  };
}
