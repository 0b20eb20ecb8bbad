import type { DefaultTreeAdapterTypes } from 'parse5';

/**
 * What the build's page rewrites (offscreen-content.ts, deferred-tab-panels.ts) need of parse5's
 * tree: they parse a built page with source locations and splice the original text, so only
 * reading the tree is shared.
 */
export type Node = DefaultTreeAdapterTypes.Node;
export type Element = DefaultTreeAdapterTypes.Element;

export const isElement = (node: Node): node is Element => 'tagName' in node;

/** An attribute of an element, or undefined when it has none of that name. */
export const attribute = (element: Element, name: string) => element.attrs.find((attr) => attr.name === name);
