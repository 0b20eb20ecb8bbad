import { ClientCredentialsTokenSource } from '../../src/lib/client-credentials-token-source.ts';

// Programs for "Check my client" (issue 12) to grade: each makes API calls for a window with a few
// concurrent callers, the way a reader's job or service would.

/** What a driven program needs. */
export interface DriveOptions {
  origin: string;
  clientId: string;
  clientSecret: string;
  /** How long to call the API, in ms. */
  runMs: number;
  callers: number;
  /** Each caller's pause between calls, in ms. */
  callEveryMs: number;
  /** The scopes the program asks for. */
  scopes: readonly string[];
}

/** What the program saw, for the test's log. */
export interface DriveReport {
  calls: number;
  statuses: Record<number, number>;
  failures: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

/** Seconds of a numeric Retry-After (RFC 9110 §10.2.3), or undefined. */
function retryAfterMs(response: Response): number | undefined {
  const value = response.headers.get('retry-after');
  return value !== null && /^\d+$/.test(value) ? Number(value) * 1000 : undefined;
}

/**
 * The reference client (`ClientCredentialsTokenSource`) used as the refresh page teaches: one
 * source shared by every caller, `fetch()` for each API call. The program itself honours a 429's
 * Retry-After for all its callers (the errors table of the refresh page): the token source backs
 * off at the token endpoint, not at the API.
 */
export async function driveReferenceClient(options: DriveOptions): Promise<DriveReport> {
  const tokens = new ClientCredentialsTokenSource({
    tokenEndpoint: `${options.origin}/oauth/token`,
    clientId: options.clientId,
    clientSecret: options.clientSecret,
    scopes: options.scopes,
  });
  const report: DriveReport = { calls: 0, statuses: {}, failures: 0 };
  const until = Date.now() + options.runMs;
  let pausedUntil = 0;
  const caller = async () => {
    while (Date.now() < until) {
      if (Date.now() < pausedUntil) {
        await sleep(pausedUntil - Date.now());
        continue;
      }
      try {
        const response = await tokens.fetch(`${options.origin}/api/v1/reports`);
        await response.body?.cancel();
        report.calls++;
        report.statuses[response.status] = (report.statuses[response.status] ?? 0) + 1;
        const wait = response.status === 429 ? retryAfterMs(response) : undefined;
        if (wait !== undefined) pausedUntil = Math.max(pausedUntil, Date.now() + wait + 100);
      } catch {
        report.failures++;
      }
      await sleep(options.callEveryMs);
    }
  };
  await Promise.all(Array.from({ length: options.callers }, caller));
  return report;
}

/**
 * A deliberately naive client: a new token for every call, the secret in the form body
 * (client_secret_post), every scope the API has, 503 and 429 retried at once whatever
 * Retry-After says, and a 401 taken as the call's answer (never retried).
 */
export async function driveNaiveClient(options: DriveOptions): Promise<DriveReport> {
  const report: DriveReport = { calls: 0, statuses: {}, failures: 0 };
  const until = Date.now() + options.runMs;
  const token = async (): Promise<string | undefined> => {
    for (let attempt = 0; attempt < 3; attempt++) {
      const response = await fetch(`${options.origin}/oauth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: options.clientId,
          client_secret: options.clientSecret,
          scope: options.scopes.join(' '),
        }),
      });
      const body = (await response.json()) as { access_token?: string };
      if (response.ok) return body.access_token;
    }
    return undefined;
  };
  const caller = async () => {
    while (Date.now() < until) {
      try {
        const accessToken = await token();
        if (accessToken !== undefined) {
          for (let attempt = 0; attempt < 2; attempt++) {
            const response = await fetch(`${options.origin}/api/v1/reports`, {
              headers: { authorization: `Bearer ${accessToken}` },
            });
            await response.body?.cancel();
            report.calls++;
            report.statuses[response.status] = (report.statuses[response.status] ?? 0) + 1;
            if (response.status !== 429) break;
          }
        } else report.failures++;
      } catch {
        report.failures++;
      }
      await sleep(options.callEveryMs);
    }
  };
  await Promise.all(Array.from({ length: options.callers }, caller));
  return report;
}

/** `POST {registration_client_uri}/checks`: the check's id. */
export async function startCheck(
  registrationClientUri: string,
  registrationAccessToken: string,
  duration: number,
): Promise<string> {
  const response = await fetch(`${registrationClientUri}/checks`, {
    method: 'POST',
    headers: { authorization: `Bearer ${registrationAccessToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ duration }),
  });
  if (response.status !== 201)
    throw new Error(`starting a check: HTTP ${response.status} ${await response.text()}`);
  return ((await response.json()) as { id: string }).id;
}
