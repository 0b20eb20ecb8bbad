// Calls the API through the reference token client: it keeps the token, refreshes it before it
// expires, shares one token request between concurrent calls, and retries once on 401
// invalid_token. Run: node token-manager-usage.ts (Node 24 or later, from this repository).
// Reads CLIENT_ID, CLIENT_SECRET and SANDBOX_URL from the environment.
import { ClientCredentialsTokenSource } from '../../../src/lib/client-credentials-token-source.ts';
import { TokenSourceError } from '../../../src/lib/token-source-error.ts';

function env(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`Set ${name} in the environment.`);
  return value;
}

const sandboxUrl = env('SANDBOX_URL');
let tokenRequests = 0;

// One source per client and process: it is the cache. Keep it for the life of the program.
const tokens = new ClientCredentialsTokenSource({
  tokenEndpoint: `${sandboxUrl}/oauth/token`,
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
  const responses = await Promise.all([1, 2, 3].map(() => tokens.fetch(`${sandboxUrl}/api/v1/reports`)));
  responses.forEach((response, index) =>
    console.log(`call ${index + 1}: GET /api/v1/reports: HTTP ${response.status}`),
  );
  console.log(`token requests: ${tokenRequests}`);
  if (responses.some((response) => !response.ok)) process.exitCode = 1;
} catch (error) {
  // Switch on the code, not the message: invalid_client will not fix itself, so do not retry it.
  if (error instanceof TokenSourceError && error.code === 'invalid_client') {
    console.error(`Check CLIENT_ID and CLIENT_SECRET: ${error.message}`);
    process.exitCode = 1;
  } else {
    throw error;
  }
}
