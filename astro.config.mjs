// @ts-check
import { defineConfig } from 'astro/config';
import starlight from '@astrojs/starlight';
import react from '@astrojs/react';
import starlightOpenApi, { openAPISidebarGroups } from 'starlight-openapi';
import { fileURLToPath } from 'node:url';
import { sandboxDevIntegration } from './src/server/sandbox-dev-integration.ts';
import { readServerConfig } from './src/server/config.ts';
import { examplesVitePlugin } from './src/server/examples-vite-plugin.ts';
import { buildStampIntegration, profileFingerprint } from './src/server/build-stamp.ts';
import { inlineScriptHashes, packageEntryFolder } from './src/server/inline-script-hashes.ts';
import { pageCspDirectives, pageScriptSources } from './src/server/site-security-headers.ts';
import { writeOpenApiFile } from './src/server/openapi-file.ts';
import { openApiExamplesHeadingPlugin } from './src/server/openapi-examples-heading-plugin.ts';
import { tocTargetsPlugin } from './src/server/toc-targets-plugin.ts';
import { deferredPanelScriptHash } from './src/server/deferred-tab-panels.ts';
import { builtPagesIntegration } from './src/server/built-pages-integration.ts';

const { siteUrl, host, port, apiProfile, siteDist } = readServerConfig();

// The API reference pages are rendered from the document /openapi.json serves (same profile, origin).
const openApiFile = writeOpenApiFile({
  projectRoot: fileURLToPath(new URL('.', import.meta.url)),
  siteDist,
  origin: siteUrl,
  profile: apiProfile,
});

// The guide's pages in reading order. The glob loader over content/docs leaves Starlight's
// `autogenerate` empty, so the sidebar lists each page by its slug.
const guidePages = [
  // Onboarding order: what it is, the first day's list, then the flow step by step.
  'index',
  'onboarding',
  'flow',
  // The live steps, right after the flow they run: readers look for them early.
  'playground',
  'requesting-a-token',
  'using-the-token',
  'expiration-and-refresh',
  'token-client',
  // Right after the client it teaches: grade the reader's own one under injected faults.
  'check-my-client',
  'security',
  'private-key-jwt',
  'errors',
  'production',
  // The reference and the live steps, after the guide that uses them.
  'sandbox',
  'watch-your-own-code',
  'glossary',
];

export default defineConfig({
  site: siteUrl,
  // SITE_DIST: a second build (another API profile) goes beside dist/, not over it.
  outDir: siteDist,
  trailingSlash: 'always',
  server: { port, host },
  vite: {
    // The API profile (src/lib/api-profile.ts, or a team's OpenAPI document) reaches the pages and
    // the islands' bundles as a constant; the samples get its scopes and this site's origin.
    define: { __API_PROFILE__: JSON.stringify(apiProfile) },
    plugins: [
      examplesVitePlugin({ profile: apiProfile, origin: siteUrl }),
      openApiExamplesHeadingPlugin(),
      tocTargetsPlugin(),
    ],
    resolve: {
      // Starlight's search box builds Pagefind's UI on every page once the browser is idle; this
      // stand-in builds it when the reader goes to search (src/components/lazy-pagefind-ui.ts).
      alias: [
        {
          find: /^@pagefind\/default-ui$/,
          replacement: fileURLToPath(new URL('./src/components/lazy-pagefind-ui.ts', import.meta.url)),
        },
      ],
    },
    build: {
      rollupOptions: {
        // Astro marks every MDX page's propagated-assets module with "use astro:head-inject",
        // which the bundler reports once per page; Astro reads the marker before bundling, so the
        // warning is harmless (it printed 14 boxed warnings per build). Only that one is dropped.
        onwarn(warning, warn) {
          if (warning.code === 'MODULE_LEVEL_DIRECTIVE' && warning.message.includes('astro:head-inject'))
            return;
          warn(warning);
        },
      },
    },
  },
  // Code is highlighted by Starlight's Expressive Code (its own Shiki, styles in files); Astro's
  // Markdown highlighter would only add inline styles, which the CSP below does not allow.
  markdown: { syntaxHighlight: false },
  // Content-Security-Policy of every page, as a <meta> with the hashes of its inline scripts and
  // styles. src/server sends the same policy as a header, plus frame-ancestors (header-only).
  // The directives live in src/server/site-security-headers.ts, shared with the server.
  // Stylesheets under 4 kB are inlined: each was a render-blocking request before the first paint
  // (ten on a code page). Astro's policy misses the hashes of those of components used from MDX;
  // src/server/inline-style-hashes.ts adds them after the build.
  build: { inlineStylesheets: 'auto' },
  security: {
    csp: {
      directives: [...pageCspDirectives],
      // Astro hashes the scripts it bundles; the is:inline ones (Starlight's, ours) are hashed here.
      scriptDirective: {
        resources: [...pageScriptSources],
        hashes: [
          ...inlineScriptHashes([
            packageEntryFolder('@astrojs/starlight'),
            packageEntryFolder('starlight-openapi'),
            './src',
          ]),
          // Added to the built pages after the build (src/server/deferred-tab-panels.ts).
          deferredPanelScriptHash,
        ],
      },
      // Inline style attributes (Starlight's icon sizes, Expressive Code's token colours) need
      // 'unsafe-inline' for attributes only; <style> elements are hashed.
      styleDirective: {
        resources: [
          { resource: "'self'", kind: 'element' },
          { resource: "'unsafe-inline'", kind: 'attribute' },
        ],
      },
    },
  },
  integrations: [
    starlight({
      title: 'API Authentication Guide',
      description:
        'Learn OAuth 2.0 client-credentials authentication and try every step against a real sandbox.',
      favicon: '/favicon.svg',
      customCss: [
        './src/styles/custom.css',
        './src/styles/api-reference.css',
        './src/styles/error-table.css',
        './src/styles/offscreen-content.css',
      ],
      markdown: { processedDirs: ['./content/docs'] },
      // The guide, then the sandbox's API reference (generated from its OpenAPI document).
      sidebar: [...guidePages.map((slug) => ({ slug })), ...openAPISidebarGroups],
      plugins: [
        // Not under /api/: that prefix is the sandbox's own API.
        starlightOpenApi([
          {
            base: 'api-reference',
            schema: openApiFile,
            sidebar: { label: 'API reference', collapsed: true },
          },
        ]),
      ],
      lastUpdated: false,
      // src/pages/404.astro is the 404 page.
      disable404Route: true,
      pagefind: true,
    }),
    react(),
    sandboxDevIntegration(),
    buildStampIntegration({ profile: profileFingerprint(apiProfile), origin: siteUrl }),
    // After Starlight, whose build hook runs Pagefind: search indexes the pages as built first.
    builtPagesIntegration(),
  ],
});
