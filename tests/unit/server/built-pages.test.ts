import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  deferHiddenTabPanels,
  deferredPanelScript,
  deferredPanelScriptHash,
} from '../../../src/server/deferred-tab-panels.ts';
import { allowInlineStyles } from '../../../src/server/inline-style-hashes.ts';

const page = (body: string) =>
  `<!DOCTYPE html><html><head><title>t</title></head><body>${body}</body></html>`;
const tabs = (panels: string) =>
  `<starlight-tabs data-sync-key="lang"><div class="tablist-wrapper"></div>${panels}</starlight-tabs>`;
const panel = (index: number, content: string, hidden = true) =>
  `<div id="tab-panel-0-${index}" role="tabpanel"${hidden ? ' hidden' : ''}>${content}</div>`;
const code = (text: string) => `<figure><pre><code><div class="ec-line">${text}</div></code></pre></figure>`;

/** The contents the page ships as data, decoded as the browser's script does. */
const deferred = (html: string) =>
  [...html.matchAll(/<script type="application\/json" data-deferred-panel>([\s\S]*?)<\/script>/g)].map(
    ([, json = '']) => JSON.parse(json) as string,
  );

describe('deferHiddenTabPanels', () => {
  it.each([
    ['a page without tabs', page('<p>text</p>')],
    ['tabs whose only hidden panel is empty', page(tabs(panel(0, code('a'), false) + panel(1, '')))],
    [
      'a hidden panel holding a heading (the table of contents links to it)',
      page(tabs(panel(0, 'a', false) + panel(1, '<h2 id="x">X</h2>'))),
    ],
    ['a hidden panel holding a script', page(tabs(panel(0, 'a', false) + panel(1, '<script>1</script>')))],
    [
      'a hidden panel holding an island',
      page(tabs(panel(0, 'a', false) + panel(1, '<astro-island></astro-island>'))),
    ],
    [
      'an open details',
      page('<details data-deferred open><summary>f.ts</summary>' + code('x') + '</details>'),
    ],
    [
      'a details not marked data-deferred',
      page('<details><summary>f.ts</summary>' + code('x') + '</details>'),
    ],
    ['a hidden element outside starlight-tabs', page(`<div role="tabpanel" hidden>${code('x')}</div>`)],
  ])('leaves %s byte for byte', (_, html) => {
    expect(deferHiddenTabPanels(html)).toBe(html);
  });

  it('moves each hidden panel into data, leaves the shown one, and puts the script before the tabs', () => {
    const shown = panel(0, code('ts'), false);
    const html = page(`<p>intro</p>${tabs(shown + panel(1, code('py')) + panel(2, code('go')))}`);
    const result = deferHiddenTabPanels(html);
    expect(deferred(result)).toEqual([code('py'), code('go')]);
    expect(result).toContain(shown);
    expect(result).toContain(
      '<div id="tab-panel-0-1" role="tabpanel" hidden><script type="application/json"',
    );
    expect(result.indexOf(`<script>${deferredPanelScript}</script><starlight-tabs`)).toBeGreaterThan(
      result.indexOf('<p>intro</p>'),
    );
    expect(result.split(deferredPanelScript)).toHaveLength(2);
    // Everything outside the panels is as built.
    expect(result.replace(/<script[\s\S]*?<\/script>/g, '')).toBe(
      html.replace(code('py'), '').replace(code('go'), ''),
    );
  });

  it('moves the content of a closed details marked data-deferred, keeping its summary', () => {
    const html = page(
      `<details data-deferred><summary><code>a.ts</code> (3 lines)</summary>${code('a')}</details>`,
    );
    const result = deferHiddenTabPanels(html);
    expect(deferred(result)).toEqual([code('a')]);
    expect(result).toContain(`<summary><code>a.ts</code> (3 lines)</summary><script type="application/json"`);
    expect(result).toContain(`<script>${deferredPanelScript}</script><details data-deferred>`);
  });

  it('keeps code that holds "</script>" and "<!--" whole, and the data cannot end its element early', () => {
    const tricky = code('&lt;/script&gt; <span data-code="</script><!--<script>">x</span>');
    const result = deferHiddenTabPanels(page(tabs(panel(0, 'a', false) + panel(1, tricky))));
    expect(deferred(result)).toEqual([tricky]);
    const data = result.slice(result.indexOf('data-deferred-panel>'));
    expect(data.slice(0, data.indexOf('</script>'))).not.toMatch(/</);
  });

  it('defers a details inside a hidden panel once, with the panel', () => {
    const inner = `<details data-deferred><summary>f</summary>${code('f')}</details>`;
    const result = deferHiddenTabPanels(page(tabs(panel(0, 'a', false) + panel(1, inner))));
    expect(deferred(result)).toEqual([inner]);
  });

  it('has the hash the page policy allows', () => {
    expect(deferredPanelScriptHash).toBe(
      `sha256-${createHash('sha256').update(deferredPanelScript, 'utf8').digest('base64')}`,
    );
  });
});

describe('allowInlineStyles', () => {
  const hash = (text: string) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
  const meta = (policy: string) => `<meta http-equiv="content-security-policy" content="${policy}">`;
  const policy = (styleElem: string) =>
    `default-src 'self'; script-src 'self'; style-src 'self'; style-src-elem ${styleElem}; style-src-attr 'unsafe-inline'`;

  it.each([
    [
      'adds the hashes of styles the policy misses',
      `'self' ${hash('a{}')}`,
      ['a{}', 'b{}'],
      `'self' ${hash('a{}')} ${hash('b{}')}`,
    ],
    ['adds each hash once for a style that appears twice', `'self'`, ['c{}', 'c{}'], `'self' ${hash('c{}')}`],
    [
      'changes nothing when every style is allowed',
      `'self' ${hash('a{}')}`,
      ['a{}'],
      `'self' ${hash('a{}')}`,
    ],
  ])('%s', (_, before, styles, after) => {
    const html = `<html><head>${meta(policy(before))}${styles.map((s) => `<style>${s}</style>`).join('')}</head></html>`;
    const result = allowInlineStyles(html);
    expect(result).toContain(meta(policy(after)));
    expect(result.replace(meta(policy(after)), '')).toBe(html.replace(meta(policy(before)), ''));
  });

  it('leaves a page without a policy as it is, and refuses a policy without style-src-elem', () => {
    expect(allowInlineStyles('<html><style>a{}</style></html>')).toBe('<html><style>a{}</style></html>');
    expect(() => allowInlineStyles(`${meta("default-src 'self'")}<style>a{}</style>`)).toThrow(
      /style-src-elem/,
    );
  });
});
