import type { Plugin } from 'vite';

/**
 * starlight-openapi labels each example with a hard-coded `<h5>`, also right under an `<h3>`
 * (a response status), which skips a level (axe `heading-order`, WCAG 1.3.1). The label names the
 * code block under it rather than a section, so it becomes a paragraph with the same class and
 * look. Only that component's compiled module is touched (Astro compiles `.astro` files before
 * other plugins see them, so this edits the compiled template); when the plugin fixes it
 * upstream, this finds no `<h5` and does nothing. tests/e2e/every-page.spec.ts runs axe on the pages.
 */
export function openApiExamplesHeadingPlugin(): Plugin {
  return {
    name: 'openapi-examples-heading-as-label',
    transform(code, id) {
      if (!id.replaceAll('\\', '/').endsWith('/starlight-openapi/components/example/Examples.astro'))
        return null;
      return code
        .replaceAll('<h5 class="sl-openapi-examples-heading', '<p class="sl-openapi-examples-heading')
        .replaceAll('</h5>', '</p>');
    },
  };
}
