/**
 * The elements Starlight's table of contents watches to highlight the current section: every
 * heading it lists, and every element of the page's content that holds none (the paragraphs, code
 * blocks and tabs under a heading). Starlight finds them with one `querySelectorAll` whose parts
 * end in `*:not(:has(heading))`: the browser tests that against every element of the page and
 * walks each one's subtree, and the `~` part walks every element's earlier siblings. On the code
 * pages (thousands of lines, each a row of spans) that took 200 to 400 ms per table of contents,
 * twice per page (desktop and mobile), on a desktop CPU. This finds the same elements, in the
 * same (document) order, by looking only where they can be: headings, the siblings after a
 * heading, the children of the content and of `main`.
 */
export function tocTargets(headingSelector: string): Element[] {
  const targets = new Set<Element>();
  const holdsNoHeading = (element: Element) => element.querySelector(headingSelector) === null;
  for (const main of document.querySelectorAll('main')) {
    for (const heading of main.querySelectorAll(headingSelector)) targets.add(heading);
    // `main :where(heading, .sl-heading-wrapper) ~ *:not(:has(heading))`
    for (const start of main.querySelectorAll(`:where(${headingSelector}, .sl-heading-wrapper)`)) {
      for (let sibling = start.nextElementSibling; sibling; sibling = sibling.nextElementSibling) {
        if (holdsNoHeading(sibling)) targets.add(sibling);
      }
    }
    // `main .sl-markdown-content > *:not(:has(heading))` and `main > *:not(:has(heading))`
    for (const parent of [main, ...main.querySelectorAll('.sl-markdown-content')]) {
      for (const child of parent.children) if (holdsNoHeading(child)) targets.add(child);
    }
  }
  return [...targets].sort((a, b) =>
    a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1,
  );
}
