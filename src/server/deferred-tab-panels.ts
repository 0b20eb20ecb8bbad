import { createHash } from 'node:crypto';
import { parse } from 'parse5';
import { attribute, isElement, type Element, type Node } from './html-tree.ts';

/**
 * Tab panels that start hidden ship their content as data, not as elements: the code pages show
 * one language of six, and the other five were most of their DOM (the token client's page had
 * 27,000 elements, 16,000 of them in hidden panels) and of their HTML, which a phone parsed, kept
 * and walked for nothing. Their HTML goes into `<script type="application/json">` (the parser only
 * scans it for its end tag; a JSON string cannot end it early, its `<` are escaped), and the
 * script below turns it back into elements the moment Starlight shows the panel: it removes
 * `hidden` on a click, an arrow key, a synced tab on the same page, and when it restores the
 * reader's last choice while the page loads. A mutation observer runs before the next frame is
 * drawn, so a panel never shows empty; Expressive Code's own observer wires the copy buttons of
 * the code that arrives. What was hidden stays out of the accessibility tree and find-in-page, as
 * before. A closed `<details data-deferred>` (the reference client's files) waits the same way
 * until it is opened; find-in-page does not reach into it until then.
 *
 * The pages are rewritten after the build, when Pagefind has indexed them: search still finds the
 * code of every language. Panels holding a script, an island or a heading (the table of contents
 * links to it) are left as they are.
 */
export const deferredPanelScript = `(() => {
  const show = (element) => {
    if (element.hidden || (element instanceof HTMLDetailsElement && !element.open)) return;
    for (const data of element.querySelectorAll(':scope > script[data-deferred-panel]')) {
      data.insertAdjacentHTML('beforebegin', JSON.parse(data.textContent));
      data.remove();
    }
  };
  new MutationObserver((records) => {
    for (const { target } of records) if (target instanceof HTMLElement) show(target);
  }).observe(document.body, { subtree: true, attributes: true, attributeFilter: ['hidden', 'open'] });
})();`;

/** The CSP hash of the script above (the page policy allows inline scripts by hash only). */
export const deferredPanelScriptHash =
  `sha256-${createHash('sha256').update(deferredPanelScript, 'utf8').digest('base64')}` as const;

/** Elements a deferred panel must not hold: they must exist (or run) while the page loads. */
const mustStayLive = new Set(['script', 'astro-island', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6']);

function holdsLiveContent(element: Element): boolean {
  return element.childNodes.some(
    (child) => isElement(child) && (mustStayLive.has(child.tagName) || holdsLiveContent(child)),
  );
}

/** A hidden panel of a `starlight-tabs`, or a closed `<details data-deferred>`. */
function isDeferrable(element: Element, parent: Node): boolean {
  if (parent.nodeName === 'starlight-tabs')
    return attribute(element, 'role')?.value === 'tabpanel' && attribute(element, 'hidden') !== undefined;
  return (
    element.tagName === 'details' &&
    attribute(element, 'data-deferred') !== undefined &&
    attribute(element, 'open') === undefined
  );
}

/** The deferrable elements, in document order, none inside another. */
function deferrables(node: Node, found: Element[] = []): Element[] {
  if (!('childNodes' in node)) return found;
  for (const child of node.childNodes) {
    if (!isElement(child)) continue;
    if (isDeferrable(child, node) && !holdsLiveContent(child)) found.push(child);
    else deferrables(child, found);
  }
  return found;
}

/** Where the content that waits starts: after the start tag, or after a details' summary. */
function contentStart(element: Element): number | undefined {
  if (element.tagName === 'details') {
    const summary = element.childNodes.find((child) => isElement(child) && child.tagName === 'summary');
    return summary?.sourceCodeLocation?.endOffset;
  }
  return element.sourceCodeLocation?.startTag?.endOffset;
}

/** `text` as a JSON string that cannot end the `<script>` element holding it. */
const scriptSafeJson = (text: string) => JSON.stringify(text).replaceAll('<', '\\u003c');

/**
 * The page with the content of each hidden tab panel moved into a
 * `<script type="application/json" data-deferred-panel>`, and the script that restores it placed
 * before the first tabs that have such a panel. Only offsets the parser reports are used:
 * everything else in the page stays byte for byte as built.
 */
export function deferHiddenTabPanels(html: string): string {
  const document = parse(html, { sourceCodeLocationInfo: true });
  const elements = deferrables(document);
  const edits: { from: number; to: number; text: string }[] = [];
  for (const element of elements) {
    const from = contentStart(element);
    const to = element.sourceCodeLocation?.endTag?.startOffset;
    if (from === undefined || to === undefined) continue;
    const content = html.slice(from, to);
    if (content.trim() === '') continue;
    edits.push({
      from,
      to,
      text: `<script type="application/json" data-deferred-panel>${scriptSafeJson(content)}</script>`,
    });
  }
  if (edits.length === 0) return html;
  // Before the first tabs or section that waits: Starlight's restore of the reader's tab runs as
  // soon as the parser reaches the end of that tabs element.
  const first = elements[0]!;
  const scriptAt = (first.tagName === 'details' ? first : (first.parentNode as Element)).sourceCodeLocation
    ?.startTag?.startOffset;
  if (scriptAt === undefined) return html;
  edits.push({ from: scriptAt, to: scriptAt, text: `<script>${deferredPanelScript}</script>` });
  let result = html;
  for (const { from, to, text } of edits.sort((a, b) => b.from - a.from)) {
    result = result.slice(0, from) + text + result.slice(to);
  }
  return result;
}
