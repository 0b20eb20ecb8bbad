/**
 * The yardstick for `npm run bench`: the same two calls as the sandbox (client credentials token,
 * GET of a protected resource) in the least code that is still correct: node:http, one client in
 * memory, jose signing and verifying with the sandbox's algorithm (EdDSA / Ed25519) on every call.
 * No store, no rate limit, no error model, no cache. Run as a child process by sandbox-bench.ts.
 */
import { createServer } from 'node:http';
import { randomUUID } from 'node:crypto';
import { SignJWT, generateKeyPair, jwtVerify } from 'jose';
import { loadApiProfile } from '../../src/server/api-profile-source.ts';

// The profile the server under test loads (API_OPENAPI when set).
const { readScope, writeScope } = loadApiProfile(process.env);

const port = Number(process.env.PORT);
const issuer = `http://127.0.0.1:${port}`;
const audience = `${issuer}/api`;
const clientId = process.env.BENCH_CLIENT_ID ?? 'bench';
const clientSecret = process.env.BENCH_CLIENT_SECRET ?? 'secret';
const expectedAuthorization = `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`;
const { privateKey, publicKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
const reports = JSON.stringify({ reports: [{ id: 'rep-1', title: 'Quarterly revenue' }] });

const server = createServer((request, reply) => {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  // The handler catches its own errors: nothing is left for an unhandled rejection.
  const respond = async () => {
    try {
      if (request.method === 'POST' && request.url === '/oauth/token') {
        const form = new URLSearchParams(Buffer.concat(chunks).toString());
        if (request.headers.authorization !== expectedAuthorization) {
          reply
            .writeHead(401, {
              'content-type': 'application/json',
              'www-authenticate': 'Basic realm="minimal"',
            })
            .end('{"error":"invalid_client"}');
          return;
        }
        if (form.get('grant_type') !== 'client_credentials') {
          reply
            .writeHead(400, { 'content-type': 'application/json' })
            .end('{"error":"unsupported_grant_type"}');
          return;
        }
        const accessToken = await new SignJWT({ client_id: clientId, scope: `${readScope} ${writeScope}` })
          .setProtectedHeader({ alg: 'EdDSA', typ: 'at+jwt', kid: 'k1' })
          .setIssuer(issuer)
          .setSubject(clientId)
          .setAudience(audience)
          .setIssuedAt()
          .setExpirationTime('1h')
          .setJti(randomUUID())
          .sign(privateKey);
        reply.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(
          JSON.stringify({
            access_token: accessToken,
            token_type: 'Bearer',
            expires_in: 3600,
            scope: `${readScope} ${writeScope}`,
          }),
        );
        return;
      }
      if (request.method === 'GET' && request.url === '/api/v1/reports') {
        const token = request.headers.authorization?.replace(/^Bearer /, '') ?? '';
        try {
          const { payload } = await jwtVerify(token, publicKey, {
            algorithms: ['EdDSA'],
            issuer,
            audience,
            typ: 'at+jwt',
          });
          if (typeof payload.scope !== 'string' || !payload.scope.split(' ').includes(readScope))
            throw new Error('scope');
        } catch {
          reply
            .writeHead(401, {
              'content-type': 'application/json',
              'www-authenticate': 'Bearer error="invalid_token"',
            })
            .end('{"error":"invalid_token"}');
          return;
        }
        reply
          .writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' })
          .end(reports);
        return;
      }
      reply.writeHead(404).end();
    } catch {
      reply.writeHead(500).end();
    }
  };
  request.on('end', () => void respond());
});

server.listen(port, '127.0.0.1', () =>
  console.log(JSON.stringify({ message: 'minimal server listening', port })),
);
process.on('SIGTERM', () => server.close(() => process.exit(0)));
