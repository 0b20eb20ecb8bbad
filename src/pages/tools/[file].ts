import type { APIRoute, GetStaticPaths } from 'astro';
import { zipSync } from 'fflate';
// The Vite plugin of src/server/examples-vite-plugin.ts fills in the profile's scopes and this
// site's origin, as for every sample the pages show.
import httpFile from '../../../content/examples/tools/sandbox.http?raw';
import postmanCollection from '../../../content/examples/tools/sandbox.postman_collection.json?raw';
import brunoGitignore from '../../../content/examples/tools/bruno/.gitignore?raw';

/** Bruno's collection is a folder of files (bruno.json, collection.bru, environments/, one .bru a request). */
const brunoFiles: Record<string, string> = {
  ...import.meta.glob<string>('../../../content/examples/tools/bruno/**/*', {
    query: '?raw',
    import: 'default',
    eager: true,
  }),
  // Vite's glob skips dot files.
  '../../../content/examples/tools/bruno/.gitignore': brunoGitignore,
};

/**
 * The Bruno collection as one download: a zip of the folder, which Bruno opens after unpacking
 * (*Open Collection*). The files' dates are fixed so that every build gives the same bytes (and ETag).
 */
function brunoZip(): Uint8Array {
  const encoder = new TextEncoder();
  const entries = Object.fromEntries(
    Object.entries(brunoFiles).map(([path, text]) => [
      `sandbox-bruno/${path.split('/tools/bruno/')[1]!}`,
      encoder.encode(text),
    ]),
  );
  return zipSync(entries, { mtime: new Date('2026-01-01T00:00:00Z') });
}

/**
 * The ready-made files for developers' tools, as downloads beside the pages (the sandbox page links
 * them): a Postman collection (v2.1), an .http file and a Bruno collection. They hold no credentials.
 */
const files: Record<string, { body: () => string | Uint8Array; type: string }> = {
  'sandbox.postman_collection.json': { body: () => postmanCollection, type: 'application/json' },
  'sandbox.http': { body: () => httpFile, type: 'text/plain; charset=utf-8' },
  'sandbox-bruno.zip': { body: brunoZip, type: 'application/zip' },
};

export const getStaticPaths: GetStaticPaths = () => Object.keys(files).map((file) => ({ params: { file } }));

export const GET: APIRoute = ({ params }) => {
  const file = files[params.file ?? ''];
  if (!file) return new Response('Not found', { status: 404 });
  const body = file.body();
  return new Response(typeof body === 'string' ? body : new Blob([body as BlobPart]), {
    headers: { 'content-type': file.type },
  });
};
