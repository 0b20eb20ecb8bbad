import { defineCollection } from 'astro:content';
import { glob } from 'astro/loaders';
import { docsSchema, i18nSchema } from '@astrojs/starlight/schema';

// The guide lives in top-level content/docs, not Starlight's default src/content/docs.
// Files starting with "_" are partials, not pages (Starlight's own loader skips them too).
export const collections = {
  docs: defineCollection({
    loader: glob({ base: './content/docs', pattern: '**/[^_]*.{md,mdx}' }),
    schema: docsSchema(),
  }),
  // Starlight reads its UI strings from this collection (content/i18n/en.json overrides them);
  // without it every build warns that the collection is missing.
  i18n: defineCollection({
    loader: glob({ base: './content/i18n', pattern: '**/*.json' }),
    schema: i18nSchema(),
  }),
};
