import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, descriptionCharset, type Harness } from './harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await createHarness({ rateLimit: false });
});
afterAll(() => h.close());

const paths = [
  '/oauth/token',
  '/oauth/register',
  '/oauth/introspect',
  '/oauth/revoke',
  '/api/v1/reports',
  '/oauth/jwks',
  '/.well-known/oauth-authorization-server',
  '/oauth/x',
];
const contentTypes = [
  'application/x-www-form-urlencoded',
  'application/json',
  'text/plain',
  'application/x-www-form-urlencoded; charset=latin1',
  'multipart/form-data; boundary=x',
  '',
];
const authorizations = fc.oneof(
  fc.constant(undefined),
  fc.string().map((value) => `Basic ${value}`),
  fc.uint8Array({ maxLength: 64 }).map((bytes) => `Basic ${Buffer.from(bytes).toString('base64')}`),
  fc.string().map((value) => `Bearer ${value}`),
  fc.string({ unit: 'binary-ascii' }).filter((value) => !/[\r\n\0]/.test(value)),
);
const bodies = fc.oneof(
  fc.constant(undefined),
  fc.string({ maxLength: 300 }),
  fc.uint8Array({ maxLength: 300 }),
  fc
    .dictionary(
      fc.constantFrom('grant_type', 'scope', 'client_id', 'client_secret', 'token', 'token_type_hint', 'x'),
      fc.string({ maxLength: 40 }),
    )
    .map((form) => new URLSearchParams(form).toString()),
  fc.json({ maxDepth: 4 }),
);

describe('no input, however malformed, gets a 5xx', () => {
  it('holds for random methods, paths, headers and bodies', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS'),
        fc.constantFrom(...paths),
        fc.constantFrom(...contentTypes),
        authorizations,
        bodies,
        async (method, path, contentType, authorization, body) => {
          const headers: Record<string, string> = {};
          if (contentType) headers['content-type'] = contentType;
          if (authorization !== undefined) headers.authorization = authorization;
          let request: Request;
          try {
            request = new Request(`http://localhost:4321${path}`, {
              method,
              headers,
              body: method === 'GET' || method === 'HEAD' ? null : (body ?? null),
            });
          } catch {
            return; // A header value the Fetch API itself refuses never reaches a server.
          }
          const response = await h.sandbox.handle(request, { clientAddress: '192.0.2.55' });
          expect(response.status).toBeGreaterThanOrEqual(200);
          expect(response.status).toBeLessThan(500);
          if (response.status >= 400 && method !== 'HEAD') {
            const json = (await response.json()) as { error_description?: string };
            expect(json.error_description ?? '').toMatch(descriptionCharset);
          }
        },
      ),
      { numRuns: 400 },
    );
  });
});
