// @ts-check
import { defineConfig } from 'astro/config';
import starlight from '@astrojs/starlight';
import react from '@astrojs/react';
import { sandboxDevIntegration } from './src/server/sandbox-dev-integration.ts';
import { readServerConfig } from './src/server/config.ts';

const { siteUrl, host, port } = readServerConfig();

// The guide's pages in reading order. The glob loader over content/docs leaves Starlight's
// `autogenerate` empty, so the sidebar lists each page by its slug.
const guidePages = [
  'index',
  'flow',
  'requesting-a-token',
  'using-the-token',
  'expiration-and-refresh',
  'security',
  'errors',
  'sandbox',
  // 'playground' goes here with issue 5: the live steps, after the reference they use.
  'onboarding',
];

export default defineConfig({
  site: siteUrl,
  trailingSlash: 'always',
  server: { port, host },
  integrations: [
    starlight({
      title: 'API Authentication Guide',
      description: 'Learn OAuth 2.0 client-credentials authentication and try every step against a real sandbox.',
      favicon: '/favicon.svg',
      customCss: ['./src/styles/custom.css'],
      markdown: { processedDirs: ['./content/docs'] },
      sidebar: guidePages.map((slug) => ({ slug })),
      lastUpdated: false,
      pagefind: true,
    }),
    react(),
    sandboxDevIntegration(),
  ],
});
