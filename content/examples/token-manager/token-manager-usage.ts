// Calls the API through the reference token client: it keeps the token, refreshes it before it
// expires, shares one token request between concurrent calls, and retries once on 401
// invalid_token. Save it beside the client's files shown below it, then run:
// node token-manager-usage.ts (Node 22.18 or later runs TypeScript as is; on an older Node,
// `npx node@24 token-manager-usage.ts`).
// Reads CLIENT_ID, CLIENT_SECRET, TOKEN_URL and API_BASE_URL from the environment; in the
// sandbox, they default to $SANDBOX_URL/oauth/token and $SANDBOX_URL/api/v1.
import { ClientCredentialsTokenSource } from '../../../src/lib/client-credentials-token-source.ts';
import { TokenSourceError } from '../../../src/lib/token-source-error.ts';

function env(name: string, fallback?: string): string {
  const value = process.env[name] || fallback;
  if (!value) {
    console.error(`Set ${name} in the environment.`);
    process.exit(1);
  }
  return value;
}

const sandboxUrl = process.env.SANDBOX_URL;
const apiBaseUrl = env('API_BASE_URL', sandboxUrl && `${sandboxUrl}/api/v1`);
let tokenRequests = 0;

// One source per client and process: it is the cache. Keep it for the life of the program.
const tokens = new ClientCredentialsTokenSource({
  tokenEndpoint: env('TOKEN_URL', sandboxUrl && `${sandboxUrl}/oauth/token`),
  clientId: env('CLIENT_ID'),
  clientSecret: env('CLIENT_SECRET'),
  scopes: ['{{READ_SCOPE}}'],
  // Events carry no secret and no token: safe to count or log.
  onEvent: (event) => {
    if (event.type === 'token-requested') tokenRequests++;
  },
});

try {
  // Three calls at once share one token request.
  const responses = await Promise.all([1, 2, 3].map(() => tokens.fetch(`${apiBaseUrl}/reports`)));
  responses.forEach((response, index) =>
    console.log(`call ${index + 1}: GET /api/v1/reports: HTTP ${response.status}`),
  );
  console.log(`token requests: ${tokenRequests}`);
  if (responses.some((response) => !response.ok)) process.exitCode = 1;
} catch (error) {
  // One line, no stack trace. Switch on the code, not the message: invalid_client will not fix
  // itself, so a job should stop and page someone rather than retry it.
  const what = error instanceof TokenSourceError ? `${error.code}: ${error.message}` : String(error);
  console.error(`Token request failed: ${what}`);
  process.exitCode = 1;
}
