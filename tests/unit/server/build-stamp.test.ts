import { mkdirSync, mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { editedApiProfile } from '../../../src/lib/api-profile.ts';
import { profileFingerprint, staleBuildReason } from '../../../src/server/build-stamp.ts';

/** A source folder and a build folder; the build made at `builtAt`, the source changed at `changedAt`. */
function project(options: { built: boolean; stampProfile?: string; builtAt: number; changedAt: number }) {
  const root = mkdtempSync(join(tmpdir(), 'build-stamp-'));
  const sources = join(root, 'src');
  const distDir = join(root, 'dist');
  mkdirSync(join(sources, 'lib'), { recursive: true });
  mkdirSync(distDir);
  const source = join(sources, 'lib', 'api-profile.ts');
  writeFileSync(source, 'export {}');
  utimesSync(source, options.changedAt, options.changedAt);
  if (options.built) {
    writeFileSync(join(distDir, 'index.html'), '<!doctype html>');
    utimesSync(join(distDir, 'index.html'), options.builtAt, options.builtAt);
    if (options.stampProfile !== undefined)
      writeFileSync(
        join(distDir, 'build-stamp.json'),
        JSON.stringify({ profile: options.stampProfile, origin: 'http://localhost:4321' }),
      );
  }
  return { distDir, sources: [sources] };
}

const current = profileFingerprint(editedApiProfile);

describe('staleBuildReason (npm start builds again when it says why)', () => {
  it.each([
    ['no build', { built: false, builtAt: 2000, changedAt: 1000 }, /No build found/],
    [
      'a source newer than the build',
      { built: true, stampProfile: current, builtAt: 1000, changedAt: 2000 },
      /api-profile\.ts is newer than the build/,
    ],
    [
      'a build of another profile',
      { built: true, stampProfile: 'other', builtAt: 2000, changedAt: 1000 },
      /another API profile/,
    ],
    ['a build without a stamp', { built: true, builtAt: 2000, changedAt: 1000 }, /another API profile/],
  ])('%s is stale', (_case, options, reason) => {
    expect(staleBuildReason({ ...project(options), profile: editedApiProfile })).toMatch(reason);
  });

  it('a build newer than every source, of the same profile, is current', () => {
    const options = { built: true, stampProfile: current, builtAt: 2000, changedAt: 1000 };
    expect(staleBuildReason({ ...project(options), profile: editedApiProfile })).toBeUndefined();
  });
});
