import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { basename, dirname } from 'node:path';
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
// says: newman's --env-var, httpyac's process environment. Neither file holds a credential.

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

describe('the files hold no credentials', () => {
  it.each(['tools/sandbox.postman_collection.json', 'tools/sandbox.http'])('%s', (file) => {
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
