import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { apiProfile } from '../../src/lib/api-profile.ts';
import { renderExample, type ExampleContext } from '../../src/lib/example-placeholders.ts';

const projectRoot = fileURLToPath(new URL('../../', import.meta.url));
const examplesDir = join(projectRoot, 'content', 'examples');

/**
 * A sample of content/examples with its placeholders filled in, as the pages show it
 * (src/server/examples-vite-plugin.ts): written to .cache/examples-<fingerprint>/<same path>, a
 * folder as deep as content/examples, so the sample's relative imports and node_modules resolve
 * as they do for the original. Returns the copy's absolute path.
 */
export function renderedExample(
  path: string,
  context: ExampleContext = { profile: apiProfile, origin: 'http://localhost:4321' },
): string {
  const fingerprint = createHash('sha256').update(JSON.stringify(context)).digest('hex').slice(0, 12);
  const target = join(projectRoot, '.cache', `examples-${fingerprint}`, path);
  const text = readFileSync(join(examplesDir, path), 'utf8');
  mkdirSync(dirname(target), { recursive: true });
  // Written beside, then renamed: test files run in parallel, and a sample may be running from
  // this path while another test renders it again.
  const partial = `${target}.${process.pid}.partial`;
  writeFileSync(partial, renderExample(text, context, `content/examples/${path}`));
  renameSync(partial, target);
  return target;
}

/** A sample's text with its placeholders filled in. */
export function renderedExampleText(path: string, context: ExampleContext): string {
  return renderExample(readFileSync(join(examplesDir, path), 'utf8'), context, `content/examples/${path}`);
}
