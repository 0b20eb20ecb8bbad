import { describe, expect, it } from 'vitest';
import { markOffscreenContent } from '../../../src/server/offscreen-content.ts';

const page = (content: string) =>
  `<!DOCTYPE html><html><head><title>t</title></head><body><main><div class="sl-markdown-content">${content}</div></main></body></html>`;
/** A paragraph of about 20 desktop lines (about 560 px). */
const prose = `<p>${'word '.repeat(360)}</p>`;
const code = (lines: number) =>
  `<div class="expressive-code"><figure><pre><code>${'<div class="ec-line">x</div>'.repeat(lines)}</code></pre></figure></div>`;
const table = `<table><tbody><tr><td>1</td></tr></tbody></table>`;
const marked = (html: string) =>
  [...html.matchAll(/<(\w[\w-]*)[^>]* data-offscreen>/g)].map(([, tag]) => tag);

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
    // Nothing else changes: removing the marks gives the page back.
    expect(result.replaceAll(' data-offscreen', '')).toBe(html);
  });

  it('counts a long code block above as its lines, and hidden tab panels as nothing', () => {
    expect(marked(markOffscreenContent(page(code(80) + table)))).toEqual(['table']);
    const hidden = `<starlight-tabs><div role="tabpanel">a</div><div role="tabpanel" hidden>${code(200)}</div></starlight-tabs>`;
    expect(marked(markOffscreenContent(page(hidden + table)))).toEqual([]);
  });
});
