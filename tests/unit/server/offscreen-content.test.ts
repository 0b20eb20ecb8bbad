import { describe, expect, it } from 'vitest';
import { markOffscreenContent } from '../../../src/server/offscreen-content.ts';

const page = (content: string) =>
  `<!DOCTYPE html><html><head><title>t</title></head><body><main><div class="sl-markdown-content">${content}</div></main></body></html>`;
/** A paragraph of about 20 desktop lines (about 560 px). */
const prose = `<p>${'word '.repeat(360)}</p>`;
const code = (lines: number, wrap = true) =>
  `<div class="expressive-code"><figure><pre${wrap ? ' class="wrap"' : ''}><code>${'<div class="ec-line">x</div>'.repeat(lines)}</code></pre></figure></div>`;
const table = `<table><tbody><tr><td>1</td></tr></tbody></table>`;
/** What is marked: the tag of each marked element, or the table a marked wrapper holds. */
const marked = (html: string) =>
  [...html.matchAll(/<(\w[\w-]*)[^>]* data-offscreen>(<table)?/g)].map(([, tag, table]) =>
    table ? 'table' : tag,
  );
const unmarked = (html: string) =>
  html
    .replace(/<div data-offscreen>(<table[\s\S]*?<\/table>)<\/div>/g, '$1')
    .replaceAll(' data-offscreen', '');

describe('markOffscreenContent', () => {
  it.each([
    ['a page without guide content', '<!DOCTYPE html><html><head></head><body><p>x</p></body></html>'],
    ['blocks on the first screens', page(prose + code(5) + table + prose + code(5))],
  ])('leaves %s byte for byte', (_, html) => {
    expect(markOffscreenContent(html)).toBe(html);
  });

  it('marks the code blocks, tables and tab groups that start below the first screens, and only them', () => {
    const html = page(
      code(10) +
        prose +
        prose +
        prose +
        code(40) +
        table +
        '<starlight-tabs><div role="tabpanel">a</div></starlight-tabs>',
    );
    const result = markOffscreenContent(html);
    expect(marked(result)).toEqual(['div', 'table', 'starlight-tabs']);
    // The table's mark is on a wrapper (a table scrolls sideways itself); nothing else changes.
    expect(result).toContain('<div data-offscreen><table>');
    expect(unmarked(result)).toBe(html);
  });

  it('leaves code that can scroll sideways rendered (Expressive Code makes it focusable once laid out)', () => {
    const tabs = `<starlight-tabs><div role="tabpanel">${code(3, false)}</div></starlight-tabs>`;
    expect(marked(markOffscreenContent(page(code(80) + code(3, false) + tabs + code(3))))).toEqual(['div']);
  });

  it('counts a long code block above as its lines, and hidden tab panels as nothing', () => {
    expect(marked(markOffscreenContent(page(code(80) + table)))).toEqual(['table']);
    const hidden = `<starlight-tabs><div role="tabpanel">a</div><div role="tabpanel" hidden>${code(200)}</div></starlight-tabs>`;
    expect(marked(markOffscreenContent(page(hidden + table)))).toEqual([]);
  });
});
