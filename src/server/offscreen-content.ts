import { parse, type DefaultTreeAdapterTypes } from 'parse5';
import { attribute, isElement, type Element, type Node } from './html-tree.ts';

/**
 * Marks the long blocks of a guide page (code blocks, tables, tab groups) that start well below
 * the first screen with `data-offscreen`; src/styles/offscreen-content.css gives them
 * `content-visibility: auto`, so the browser skips their style and layout until the reader
 * scrolls near them (on the errors page, 8,500 layout objects in one load task before).
 *
 * A block in the first screen must not be marked: Chromium lays a skipped block out at its
 * reserved height first and at its real height a frame later, which moves what follows it
 * (Lighthouse measured a layout shift of 0.067 on the request page, whose first table is on the
 * first screen). Where a block starts is estimated from what comes before it, at the widest
 * column (a desktop's, where the most fits in a screen): a block is marked only when that estimate
 * is more than `firstScreensPx` down the content.
 */
const firstScreensPx = 1800;

/** Rough heights at a desktop's content width (about 90 characters of prose a line). */
const pxPerProseCharacter = 28 / 90;
const pxPerCodeLine = 27;
const pxPerTableRow = 40;
const pxPerBlock = 24;

const classes = (element: Element) => (attribute(element, 'class')?.value ?? '').split(/\s+/);

const isBlockCandidate = (element: Element) =>
  element.tagName === 'table' ||
  element.tagName === 'starlight-tabs' ||
  (element.tagName === 'div' && classes(element).includes('expressive-code'));

function descendants(node: Node, tagName: string, found: Element[] = []): Element[] {
  if (!('childNodes' in node)) return found;
  for (const child of node.childNodes) {
    if (!isElement(child)) continue;
    if (child.tagName === tagName) found.push(child);
    descendants(child, tagName, found);
  }
  return found;
}

/**
 * Code that can scroll sideways must stay rendered: Expressive Code makes a code block that
 * scrolls focusable (tabindex, for keyboard scrolling) only once it has been laid out, and a
 * skipped block would be a scrollable region no keyboard reaches (axe: scrollable-region-focusable).
 * Blocks whose code wraps (`pre.wrap`) never scroll sideways.
 */
const allCodeWraps = (element: Element) =>
  descendants(element, 'pre').every((pre) => classes(pre).includes('wrap'));

const blockTags = new Set(['p', 'li', 'h2', 'h3', 'h4', 'pre', 'details', 'figure', 'blockquote', 'aside']);

function findContent(node: Node): Element | undefined {
  if (!('childNodes' in node)) return undefined;
  for (const child of node.childNodes) {
    if (!isElement(child)) continue;
    if (classes(child).includes('sl-markdown-content')) return child;
    const found = findContent(child);
    if (found) return found;
  }
  return undefined;
}

/** The estimated height of an element's content, as laid out (hidden tab panels count nothing). */
function estimatedHeight(node: Node): number {
  if (node.nodeName === '#text')
    return ((node as DefaultTreeAdapterTypes.TextNode).value.trim().length || 0) * pxPerProseCharacter;
  if (!isElement(node)) return 0;
  if (attribute(node, 'hidden')) return 0;
  if (node.tagName === 'script' || node.tagName === 'style' || node.tagName === 'template') return 0;
  if (classes(node).includes('ec-line')) return pxPerCodeLine;
  if (node.tagName === 'tr') return pxPerTableRow;
  const inner = node.childNodes.reduce((sum, child) => sum + estimatedHeight(child), 0);
  return inner + (blockTags.has(node.tagName) ? pxPerBlock : 0);
}

/**
 * The page with `data-offscreen` on each code block and tab group of the guide's content that
 * starts below the first screens (and on a `<div>` around each such table), when its code wraps. Only offsets the parser reports are used: everything else
 * stays byte for byte as built.
 */
export function markOffscreenContent(html: string): string {
  const document = parse(html, { sourceCodeLocationInfo: true });
  const content = findContent(document);
  if (!content) return html;
  const edits: { at: number; text: string }[] = [];
  let above = 0;
  const walk = (node: Node) => {
    if (!isElement(node)) {
      above += estimatedHeight(node);
      return;
    }
    if (isBlockCandidate(node)) {
      const location = node.sourceCodeLocation;
      if (above > firstScreensPx && location?.startTag && location.endTag && allCodeWraps(node)) {
        // A table is its own sideways scroller (Starlight's `overflow: auto`): the mark goes on a
        // wrapper, so that a skipped table is not a small box its rows overflow.
        if (node.tagName === 'table')
          edits.push(
            { at: location.endOffset, text: '</div>' },
            { at: location.startOffset, text: '<div data-offscreen>' },
          );
        else edits.push({ at: location.startTag.endOffset - 1, text: ' data-offscreen' });
      }
      above += estimatedHeight(node);
      return;
    }
    if (node.attrs.some((attr) => attr.name === 'hidden') || node.tagName === 'script') return;
    if (blockTags.has(node.tagName)) above += pxPerBlock;
    for (const child of node.childNodes) walk(child);
  };
  for (const child of content.childNodes) walk(child);
  let result = html;
  // From the end, so that each offset still points into the page as built. An attribute goes
  // before the start tag's closing `>` (a `/>` never closes these elements).
  for (const { at, text } of edits.reverse().sort((a, b) => b.at - a.at)) {
    result = result.slice(0, at) + text + result.slice(at);
  }
  return result;
}
