import { fileURLToPath } from 'node:url';
import type { Plugin } from 'vite';

/** The expression in Starlight's starlight-toc.js that this plugin replaces (see src/components/toc-targets.ts). */
const expensiveQuery =
  /document\.querySelectorAll\(\[\s*`main :where\(\$\{this\.tocHeadingSelector\}\)`,[^\]]*\]\.join\(\)\)/;

const tocTargetsModule = fileURLToPath(new URL('../components/toc-targets.ts', import.meta.url));

/**
 * Starlight's table of contents finds the elements it watches with a selector that costs hundreds
 * of milliseconds of main thread on a long page (src/components/toc-targets.ts says why); this
 * swaps that one expression for a function that finds the same elements cheaply. When a Starlight
 * upgrade changes the expression, the build fails here instead of silently keeping the slow one.
 */
export function tocTargetsPlugin(): Plugin {
  return {
    name: 'starlight-toc-targets',
    transform(code, id) {
      if (!id.replaceAll('\\', '/').endsWith('/components-internals/TableOfContents/starlight-toc.js'))
        return null;
      if (!expensiveQuery.test(code))
        throw new Error(
          `${id}: the table of contents' query changed; update src/server/toc-targets-plugin.ts`,
        );
      return `import { tocTargets } from ${JSON.stringify(tocTargetsModule)};\n${code.replace(
        expensiveQuery,
        'tocTargets(this.tocHeadingSelector)',
      )}`;
    },
  };
}
