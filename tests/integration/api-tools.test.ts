import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { unzipSync } from 'fflate';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiProfile } from '../../src/lib/api-profile.ts';
import {
  registerClient,
  startListeningSandbox,
  type ListeningSandbox,
} from '../support/listening-sandbox.ts';
import { renderedExample } from '../support/rendered-examples.ts';

// The ready-made files for developers' own tools (content/examples/tools), each run by its real
// command-line runner against the sandbox, with the credentials given the way the sandbox page
// says: newman's --env-var, httpyac's and Bruno's process environment. No file holds a credential.

const bin = (name: string) => fileURLToPath(new URL(`../../node_modules/.bin/${name}`, import.meta.url));

function run(command: string, args: string[], options: { cwd?: string; env?: Record<string, string> } = {}) {
  return new Promise<{ code: number; output: string }>((resolve) => {
    execFile(
      command,
      args,
      { cwd: options.cwd, env: { ...process.env, ...options.env }, timeout: 120_000, encoding: 'utf8' },
      (error, stdout, stderr) =>
        resolve({
          code: error ? Number((error as { code?: number }).code ?? 1) : 0,
          output: `${stdout}${stderr}`,
        }),
    );
  });
}

let server: ListeningSandbox;
let client: { client_id: string; client_secret: string };
beforeAll(async () => {
  server = await startListeningSandbox({ dataPath: ':memory:' });
  client = await registerClient(server.origin, { client_name: 'api tools test' });
});
afterAll(() => server?.close());

const context = () => ({ profile: apiProfile, origin: server.origin });

const examplesDir = fileURLToPath(new URL('../../content/examples/', import.meta.url));
/** The Bruno collection's files, relative to content/examples (a folder: bruno.json, collection.bru, ...). */
const brunoFiles = (
  readdirSync(join(examplesDir, 'tools/bruno'), { recursive: true, withFileTypes: true }) as {
    name: string;
    parentPath: string;
    isFile(): boolean;
  }[]
)
  .filter((entry) => entry.isFile())
  .map((entry) => join(entry.parentPath, entry.name).slice(examplesDir.length))
  .sort();

describe('the files hold no credentials', () => {
  it.each(['tools/sandbox.postman_collection.json', 'tools/sandbox.http', ...brunoFiles])('%s', (file) => {
    const text = readFileSync(renderedExample(file, context()), 'utf8');
    expect(text).not.toContain(client.client_secret);
    expect(text).not.toMatch(/"key": "client(Id|Secret)",\s*"value": "[^"{]/);
  });
});

describe('Postman collection v2.1, run by newman', () => {
  it('gets a token in its pre-request script, reads with the read scope, writes with the write scope', async () => {
    const collection = renderedExample('tools/sandbox.postman_collection.json', context());
    const result = await run(bin('newman'), [
      'run',
      collection,
      '--folder',
      'Headless (newman)',
      '--folder',
      'Without a token',
      '--env-var',
      `clientId=${client.client_id}`,
      '--env-var',
      `clientSecret=${client.client_secret}`,
      '--reporters',
      'cli',
      '--color',
      'off',
    ]);
    expect(result.code, result.output).toBe(0);
    // One token request, then the three calls, each with its assertion passing.
    expect(result.output.match(/POST \S+\/oauth\/token \[200 OK/g)).toHaveLength(1);
    expect(result.output).toMatch(/assertions\s+│\s+3\s+│\s+0/);
    expect(result.output).toContain(`List reports (${apiProfile.readScope})`);
    expect(result.output).toContain(`Create a report (${apiProfile.writeScope})`);
    expect(result.output).not.toContain(client.client_secret);
  });

  it('stops with a clear message when the credentials are not set', async () => {
    const collection = renderedExample('tools/sandbox.postman_collection.json', context());
    const result = await run(bin('newman'), [
      'run',
      collection,
      '--folder',
      'Headless (newman)',
      '--color',
      'off',
    ]);
    expect(result.code).not.toBe(0);
    expect(result.output).toContain('Set clientId and clientSecret');
  });
});

describe('.http file, run by httpyac', () => {
  it('lets httpyac get the token (client credentials) from the environment and passes every check', async () => {
    const file = renderedExample('tools/sandbox.http', context());
    // httpyac looks files up relative to the folder it runs in.
    const result = await run(bin('httpyac'), ['send', basename(file), '--all', '--output', 'short'], {
      cwd: dirname(file),
      env: { CLIENT_ID: client.client_id, CLIENT_SECRET: client.client_secret },
    });
    expect(result.code, result.output).toBe(0);
    expect(result.output).toMatch(/3 requests processed \(3 succeeded\)/);
    expect(result.output).not.toMatch(/✖|failed/);
    expect(result.output).not.toContain(client.client_secret);
  });

  it('fails when the credentials are wrong', async () => {
    const file = renderedExample('tools/sandbox.http', context());
    const result = await run(bin('httpyac'), ['send', basename(file), '--all', '--output', 'short'], {
      cwd: dirname(file),
      env: { CLIENT_ID: client.client_id, CLIENT_SECRET: 'wrong' },
    });
    expect(result.output).not.toMatch(/3 requests processed \(3 succeeded\)/);
  });
});

describe('Bruno collection, run by the Bruno CLI (@usebruno/cli)', () => {
  /** The collection rendered for this sandbox; Bruno runs a collection from its folder. */
  const collectionFolder = () => {
    const paths = brunoFiles.map((file) => renderedExample(file, context()));
    return dirname(paths.find((path) => path.endsWith('bruno.json'))!);
  };
  const bru = (secret: string) =>
    run(
      bin('bru'),
      [
        'run',
        '--env',
        'Sandbox',
        '--env-var',
        `clientId=${client.client_id}`,
        '--env-var',
        `clientSecret=${secret}`,
      ],
      { cwd: collectionFolder() },
    );

  it('lets Bruno get the token (client credentials, Basic) with the credentials from the environment and passes every assertion', async () => {
    const result = await bru(client.client_secret);
    expect(result.code, result.output).toBe(0);
    expect(result.output).toMatch(/List reports \(200 OK\)/);
    expect(result.output).toMatch(/Create a report \(201 Created\)/);
    expect(result.output).toMatch(/Assertions\s+│\s+4\/4/);
    expect(result.output).not.toContain(client.client_secret);
  });

  it('fails when the secret is wrong', async () => {
    const result = await bru('wrong');
    expect(result.code).not.toBe(0);
    expect(result.output).not.toMatch(/Requests\s+│\s+2 \(2 Passed\)/);
  });

  it('is offered as one download, the zip of that folder (dist/tools/sandbox-bruno.zip)', () => {
    const zipPath = fileURLToPath(new URL('../../dist/tools/sandbox-bruno.zip', import.meta.url));
    expect(existsSync(zipPath), 'build the site first (npm run build)').toBe(true);
    const entries = unzipSync(readFileSync(zipPath));
    expect(Object.keys(entries).sort()).toEqual(
      brunoFiles.map((file) => file.replace('tools/bruno/', 'sandbox-bruno/')).sort(),
    );
    const collection = new TextDecoder().decode(entries['sandbox-bruno/collection.bru']);
    expect(collection).toContain('grant_type: client_credentials');
    expect(collection).not.toMatch(/\{\{(API_NAME|ORIGIN|READ_SCOPE|WRITE_SCOPE)\}\}/);
  });
});
