import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AstroIntegration } from 'astro';
import { parse, type DefaultTreeAdapterTypes } from 'parse5';

/**
 * Tab panels that start hidden ship their content inside a `<template>`: the code pages show one
 * language of six, and the other five were most of their DOM (the token client's page had 27,000
 * elements, 16,000 of them in hidden panels, which the browser parsed, kept and walked for
 * nothing: Lighthouse counted seconds of main-thread work on a phone).
 *
 * A template's content is parsed but not part of the document. The script below puts it back the
 * moment Starlight shows the panel (it removes `hidden` on a click, an arrow key, a synced tab on
 * the same page, or the restore of the reader's last choice while the page loads). The mutation
 * observer runs before the next frame is drawn, so the panel never shows empty, and Expressive
 * Code's own observer wires the copy buttons of the code that arrives. What was hidden stays out
 * of the accessibility tree and find-in-page, as before.
 *
 * The pages are rewritten after the build, when Pagefind has indexed them: search still finds the
 * code of every language. Panels holding a script, an island or a heading (the table of contents
 * links to it) are left as they are.
 */
export const deferredPanelScript = `(() => {
  const show = (panel) => {
    for (const template of panel.querySelectorAll(':scope > template[data-deferred-panel]')) {
      template.replaceWith(template.content);
    }
  };
  new MutationObserver((records) => {
    for (const { target } of records) if (target instanceof HTMLElement && !target.hidden) show(target);
  }).observe(document.body, { subtree: true, attributes: true, attributeFilter: ['hidden'] });
})();`;

/** The CSP hash of the script above (the page policy allows inline scripts by hash only). */
export const deferredPanelScriptHash =
  `sha256-${createHash('sha256').update(deferredPanelScript, 'utf8').digest('base64')}` as const;

type Node = DefaultTreeAdapterTypes.Node;
type Element = DefaultTreeAdapterTypes.Element;

const isElement = (node: Node): node is Element => 'tagName' in node;
const attribute = (element: Element, name: string) => element.attrs.find((attr) => attr.name === name);

/** Elements a deferred panel must not hold: they must exist (or run) while the page loads. */
const mustStayLive = new Set(['script', 'astro-island', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6']);

function holdsLiveContent(element: Element): boolean {
  return element.childNodes.some(
    (child) => isElement(child) && (mustStayLive.has(child.tagName) || holdsLiveContent(child)),
  );
}

/** The hidden panels of `starlight-tabs` elements, in document order. */
function hiddenTabPanels(node: Node, found: Element[] = []): Element[] {
  if (!('childNodes' in node)) return found;
  for (const child of node.childNodes) {
    if (!isElement(child)) continue;
    if (
      node.nodeName === 'starlight-tabs' &&
      attribute(child, 'role')?.value === 'tabpanel' &&
      attribute(child, 'hidden') !== undefined
    ) {
      found.push(child);
    } else {
      hiddenTabPanels(child, found);
    }
  }
  return found;
}

/**
 * The page with the content of each hidden tab panel inside `<template data-deferred-panel>`, and
 * the script that restores it before the first tabs that have such a panel. Only offsets the
 * parser reports are used: everything else in the page stays byte for byte as built.
 */
export function deferHiddenTabPanels(html: string): string {
  const document = parse(html, { sourceCodeLocationInfo: true });
  const panels = hiddenTabPanels(document).filter((panel) => !holdsLiveContent(panel));
  if (panels.length === 0) return html;
  const inserts: { at: number; text: string }[] = [];
  for (const panel of panels) {
    const location = panel.sourceCodeLocation;
    if (!location?.startTag || !location.endTag) continue;
    inserts.push({ at: location.startTag.endOffset, text: '<template data-deferred-panel>' });
    inserts.push({ at: location.endTag.startOffset, text: '</template>' });
  }
  const firstTabs = panels[0]!.parentNode as Element;
  const tabsStart = firstTabs.sourceCodeLocation?.startTag?.startOffset;
  if (tabsStart === undefined || inserts.length === 0) return html;
  inserts.push({ at: tabsStart, text: `<script>${deferredPanelScript}</script>` });
  let result = html;
  for (const { at, text } of inserts.sort((a, b) => b.at - a.at)) {
    result = result.slice(0, at) + text + result.slice(at);
  }
  return result;
}

function htmlFiles(folder: string): string[] {
  return readdirSync(folder, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.html'))
    .map((entry) => join(entry.parentPath, entry.name));
}

/**
 * Rewrites the built pages. Listed after Starlight, whose own `astro:build:done` runs Pagefind
 * first (Astro runs the integrations' hooks in order).
 */
export function deferredTabPanelsIntegration(): AstroIntegration {
  return {
    name: 'deferred-tab-panels',
    hooks: {
      'astro:build:done': ({ dir, logger }) => {
        let rewritten = 0;
        for (const file of htmlFiles(fileURLToPath(dir))) {
          const html = readFileSync(file, 'utf8');
          const deferred = deferHiddenTabPanels(html);
          if (deferred === html) continue;
          writeFileSync(file, deferred);
          rewritten += 1;
        }
        logger.info(`hidden tab panels deferred on ${rewritten} page(s)`);
      },
    },
  };
}
