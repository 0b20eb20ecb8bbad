import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AstroIntegration } from 'astro';
import type { ApiProfile } from '../lib/api-profile.ts';

/**
 * What a build was made from, so `npm start` can tell a stale build from a current one: the API
 * profile it shows and the origin its pages print. Written beside the pages, as build-stamp.json.
 */
export interface BuildStamp {
  /** SHA-256 of the profile, as JSON. */
  profile: string;
  /** The origin the pages print (`SITE_URL`). */
  origin: string;
}

const stampFile = 'build-stamp.json';

/** A short fingerprint of a profile. */
export function profileFingerprint(profile: ApiProfile): string {
  return createHash('sha256').update(JSON.stringify(profile)).digest('hex');
}

/** The Astro integration that writes the stamp once the build is done. */
export function buildStampIntegration(stamp: BuildStamp): AstroIntegration {
  return {
    name: 'build-stamp',
    hooks: {
      'astro:build:done': ({ dir }) => {
        writeFileSync(join(fileURLToPath(dir), stampFile), `${JSON.stringify(stamp)}\n`);
      },
    },
  };
}

/** The stamp of the build in `distDir`; undefined when there is none. */
export function readBuildStamp(distDir: string): BuildStamp | undefined {
  try {
    return JSON.parse(readFileSync(join(distDir, stampFile), 'utf8')) as BuildStamp;
  } catch {
    return undefined;
  }
}

/** The newest file under `paths` (folders are walked; node_modules and dot folders are not). */
export function newestFile(paths: readonly string[]): { path: string; mtimeMs: number } | undefined {
  let newest: { path: string; mtimeMs: number } | undefined;
  const visit = (path: string) => {
    if (!existsSync(path)) return;
    const stat = statSync(path);
    if (stat.isDirectory()) {
      for (const entry of readdirSync(path)) {
        if (entry === 'node_modules' || entry.startsWith('.')) continue;
        visit(join(path, entry));
      }
    } else if (!newest || stat.mtimeMs > newest.mtimeMs) {
      newest = { path, mtimeMs: stat.mtimeMs };
    }
  };
  for (const path of paths) visit(path);
  return newest;
}

/**
 * Why the build in `distDir` cannot be served as it is, in a sentence; undefined when it is
 * current. A build is stale when there is none, when a source is newer than it, or when it shows
 * another API profile than the one the server now serves.
 */
export function staleBuildReason(options: {
  distDir: string;
  sources: readonly string[];
  profile: ApiProfile;
}): string | undefined {
  const index = join(options.distDir, 'index.html');
  if (!existsSync(index)) return `No build found in ${options.distDir}`;
  const builtAt = statSync(index).mtimeMs;
  const newest = newestFile(options.sources);
  if (newest && newest.mtimeMs > builtAt) return `${newest.path} is newer than the build`;
  const stamp = readBuildStamp(options.distDir);
  if (stamp?.profile !== profileFingerprint(options.profile))
    return 'The build shows another API profile than the one configured';
  return undefined;
}
