import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { ApiProfile } from '../lib/api-profile.ts';
import { openApiDocument } from '../sandbox/index.ts';

/**
 * Writes the sandbox's OpenAPI document (the one `/openapi.json` serves) to a file for the build,
 * where starlight-openapi renders the API reference pages from it: the pages and the endpoint
 * describe the same paths and scopes. One file per build folder (`SITE_DIST`), so two builds for
 * two profiles never read each other's document. Returns the file's path.
 */
export function writeOpenApiFile({
  projectRoot,
  siteDist,
  origin,
  profile,
}: {
  projectRoot: string;
  siteDist: string;
  origin: string;
  profile: ApiProfile;
}): string {
  const folder = join(projectRoot, '.cache', 'openapi');
  mkdirSync(folder, { recursive: true });
  const file = join(folder, `${basename(siteDist)}.json`);
  writeFileSync(file, `${JSON.stringify(openApiDocument(origin, profile), null, 2)}\n`);
  return file;
}
