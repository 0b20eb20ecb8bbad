import { parse, type DefaultTreeAdapterTypes } from 'parse5';

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

type Node = DefaultTreeAdapterTypes.Node;
type Element = DefaultTreeAdapterTypes.Element;

const isElement = (node: Node): node is Element => 'tagName' in node;
const classes = (element: Element) =>
  (element.attrs.find((attr) => attr.name === 'class')?.value ?? '').split(/\s+/);

const isBlockCandidate = (element: Element) =>
  element.tagName === 'table' ||
  element.tagName === 'starlight-tabs' ||
  (element.tagName === 'div' && classes(element).includes('expressive-code'));

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
  if (node.attrs.some((attr) => attr.name === 'hidden')) return 0;
  if (node.tagName === 'script' || node.tagName === 'style' || node.tagName === 'template') return 0;
  if (classes(node).includes('ec-line')) return pxPerCodeLine;
  if (node.tagName === 'tr') return pxPerTableRow;
  const inner = node.childNodes.reduce((sum, child) => sum + estimatedHeight(child), 0);
  return inner + (blockTags.has(node.tagName) ? pxPerBlock : 0);
}

/**
 * The page with `data-offscreen` on each code block, table and tab group of the guide's content
 * that starts below the first screens. Only offsets the parser reports are used: everything else
 * stays byte for byte as built.
 */
export function markOffscreenContent(html: string): string {
  const document = parse(html, { sourceCodeLocationInfo: true });
  const content = findContent(document);
  if (!content) return html;
  const marks: number[] = [];
  let above = 0;
  const walk = (node: Node) => {
    if (!isElement(node)) {
      above += estimatedHeight(node);
      return;
    }
    if (isBlockCandidate(node)) {
      const at = node.sourceCodeLocation?.startTag?.endOffset;
      if (above > firstScreensPx && at !== undefined) marks.push(at - 1);
      above += estimatedHeight(node);
      return;
    }
    if (node.attrs.some((attr) => attr.name === 'hidden') || node.tagName === 'script') return;
    if (blockTags.has(node.tagName)) above += pxPerBlock;
    for (const child of node.childNodes) walk(child);
  };
  for (const child of content.childNodes) walk(child);
  let result = html;
  for (const at of marks.sort((a, b) => b - a)) {
    // `at` is the start tag's closing `>` (a `/>` never closes these elements).
    result = `${result.slice(0, at)} data-offscreen${result.slice(at)}`;
  }
  return result;
}
