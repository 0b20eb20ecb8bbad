import { createHighlighterCore, type HighlighterCore } from 'shiki/core';
import { createJavaScriptRegexEngine } from 'shiki/engine/javascript';
import githubDark from 'shiki/themes/github-dark-default.mjs';
import githubLight from 'shiki/themes/github-light-default.mjs';
import type { grammarOf } from './languages.ts';

/**
 * Syntax highlighting for "Code for this request", with Shiki's fine-grained bundle: the core,
 * the JavaScript regex engine (no WebAssembly), two themes, and each grammar loaded the first time
 * its language is shown. The panel imports this module only when it opens. Every token colour of
 * both themes has at least 4.5:1 contrast on the theme's background (WCAG 1.4.3).
 */

export type Grammar = (typeof grammarOf)[keyof typeof grammarOf];

const grammars: Record<Grammar, () => Promise<{ default: unknown }>> = {
  bash: () => import('shiki/langs/bash.mjs'),
  typescript: () => import('shiki/langs/typescript.mjs'),
  python: () => import('shiki/langs/python.mjs'),
  go: () => import('shiki/langs/go.mjs'),
  java: () => import('shiki/langs/java.mjs'),
  csharp: () => import('shiki/langs/csharp.mjs'),
};

/** The theme names, light first: the page's `data-theme` picks which colour a token shows. */
export const themeNames = { light: 'github-light-default', dark: 'github-dark-default' } as const;

/** One highlighted token: its text and its style (`color` for light, `--shiki-dark` for dark). */
export interface HighlightedToken {
  content: string;
  style: Record<string, string>;
}

let highlighter: Promise<HighlighterCore> | undefined;

/**
 * Highlights `code` as lines of tokens. Tokens rather than HTML: React renders them, so no markup
 * string is injected, and the colours are set through the CSSOM, which a strict style-src allows.
 */
export async function highlightCode(code: string, grammar: Grammar): Promise<HighlightedToken[][]> {
  highlighter ??= createHighlighterCore({
    themes: [githubLight, githubDark],
    langs: [],
    engine: createJavaScriptRegexEngine(),
  });
  const shiki = await highlighter;
  if (!shiki.getLoadedLanguages().includes(grammar)) {
    // The grammar modules' default export is Shiki's own LanguageRegistration[].
    await shiki.loadLanguage(
      (await grammars[grammar]()).default as Parameters<HighlighterCore['loadLanguage']>[0],
    );
  }
  const { tokens } = shiki.codeToTokens(code, { lang: grammar, themes: themeNames });
  return tokens.map((line) =>
    line.map((token) => ({ content: token.content, style: token.htmlStyle ?? {} })),
  );
}
