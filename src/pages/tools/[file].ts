import type { APIRoute, GetStaticPaths } from 'astro';
// The Vite plugin of src/server/examples-vite-plugin.ts fills in the profile's scopes and this
// site's origin, as for every sample the pages show.
import httpFile from '../../../content/examples/tools/sandbox.http?raw';
import postmanCollection from '../../../content/examples/tools/sandbox.postman_collection.json?raw';

/**
 * The ready-made files for developers' tools, as downloads beside the pages (the sandbox page links
 * them): a Postman collection (v2.1) and an .http file. They hold no credentials.
 */
const files: Record<string, { text: string; type: string }> = {
  'sandbox.postman_collection.json': { text: postmanCollection, type: 'application/json' },
  'sandbox.http': { text: httpFile, type: 'text/plain; charset=utf-8' },
};

export const getStaticPaths: GetStaticPaths = () => Object.keys(files).map((file) => ({ params: { file } }));

export const GET: APIRoute = ({ params }) => {
  const file = files[params.file ?? ''];
  if (!file) return new Response('Not found', { status: 404 });
  return new Response(file.text, { headers: { 'content-type': file.type } });
};
