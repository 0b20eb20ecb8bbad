import { liveStreamResponse } from '../http/event-stream-response.ts';
import { randomBytes } from 'node:crypto';
import type { ApiProfile } from '../../lib/api-profile.ts';
import { checkDuration, clientCheckPath, type ClientCheck } from '../../lib/sandbox-contract/checks.ts';
import type { ManagedClient } from '../authorization/client-configuration.ts';
import type { Clock } from '../clock.ts';
import { readJsonBody } from '../http/json-body.ts';
import { jsonResponse } from '../http/json-response.ts';
import { allowMethods } from '../http/methods.ts';
import { OAuthError } from '../http/oauth-error.ts';
import type { EndpointContext } from '../http/request-context.ts';
import type { CheckRecord } from '../store/check-store.ts';
import type { Store } from '../store/store.ts';
import type { CheckEntry } from './check-entry.ts';
import type { CheckFaultInjector } from './check-faults.ts';
import type { CheckRecorder } from './check-recorder.ts';
import { gradeCheck, scoreOf } from './grading.ts';

/** Bounds on the live streams of checks, and how often a stream looks for changes. */
export const checkStreamLimits = {
  perAddress: 10,
  /** The check is graded again this often while it runs (every instance's requests, through the store). */
  pollMs: 1_000,
  heartbeatMs: 15_000,
  retryMs: 2_000,
} as const;

/**
 * A check is graded for good this long after its window ends: every instance writes the requests
 * it saw about once a second, so by then the store holds all of them.
 */
export const checkSettleMs = 2_000;

/** Check ids are 128 random bits in base64url: 22 characters. */
const checkIdPattern = /^[A-Za-z0-9_-]{22}$/;

function unknownCheck(): OAuthError {
  return new OAuthError('not_found', 404, 'No check with this id for this client.');
}

/** The start request's body: `{"duration": seconds}`, every field optional. */
function readDuration(body: unknown): number {
  if (body === undefined) return checkDuration.default;
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new OAuthError(
      'invalid_request',
      400,
      `The body must be a JSON object such as {"duration": ${checkDuration.default}}, or empty for ${checkDuration.default} seconds.`,
    );
  const { duration } = body as Record<string, unknown>;
  if (duration === undefined) return checkDuration.default;
  if (
    typeof duration !== 'number' ||
    !Number.isInteger(duration) ||
    duration < checkDuration.min ||
    duration > checkDuration.max
  )
    throw new OAuthError(
      'invalid_request',
      400,
      `The duration must be a whole number of seconds from ${checkDuration.min} to ${checkDuration.max} (default ${checkDuration.default}).`,
    );
  return duration;
}

/** What {@link createChecksEndpoint} needs. */
export interface ChecksEndpointOptions {
  issuer: string;
  store: Store;
  clock: Clock;
  profile: Pick<ApiProfile, 'readScope' | 'writeScope'>;
  faults: CheckFaultInjector;
  recorder: CheckRecorder;
}

/**
 * "Check my client" (the report card) under a client's configuration endpoint (RFC 7592):
 * `POST {registration_client_uri}/checks` starts a check (the registration access token
 * authorises it), `GET .../checks/{id}` reads it, as JSON or as server-sent events, without
 * credentials: the id is 128 random bits and the report holds no secret, so it is a permalink.
 */
export function createChecksEndpoint({
  issuer,
  store,
  clock,
  profile,
  faults,
  recorder,
}: ChecksEndpointOptions) {
  const perAddress = new Map<string, number>();
  const open = new Set<() => void>();

  const iso = (ms: number) => new Date(ms).toISOString();

  /** The check as the wire shows it: graded now while it runs, graded once for good at the end. */
  async function resourceOf(record: CheckRecord): Promise<ClientCheck> {
    if (record.result !== undefined) return JSON.parse(record.result) as ClientCheck;
    const now = clock.now();
    const settled = now >= record.endsAtMs + checkSettleMs;
    if (settled) await recorder.flush();
    const [stored, texts] = await Promise.all([
      store.checks.faults(record.id),
      store.checks.entries(record.id),
    ]);
    const entries = texts.flatMap((json): CheckEntry[] => {
      try {
        return [JSON.parse(json) as CheckEntry];
      } catch {
        return [];
      }
    });
    const criteria = gradeCheck({
      startedAtMs: record.startedAtMs,
      endsAtMs: record.endsAtMs,
      gradedAtMs: now,
      entries,
      faults: stored,
      readScope: profile.readScope,
      writeScope: profile.writeScope,
    });
    const check: ClientCheck = {
      id: record.id,
      status: settled ? 'done' : 'running',
      started_at: iso(record.startedAtMs),
      ends_at: iso(record.endsAtMs),
      ...(settled ? { ended_at: iso(record.endsAtMs) } : {}),
      url: `${issuer}${clientCheckPath(record.clientId, record.id)}`,
      criteria,
      faults: stored.map((fault) => ({ kind: fault.kind, at: iso(fault.atMs), detail: fault.detail })),
      score: scoreOf(criteria),
    };
    if (!settled) return check;
    if (await store.checks.finish(record.id, JSON.stringify(check), now)) return check;
    // Another instance graded it first: its result is the one that stands.
    const graded = await store.checks.find(record.id);
    return graded?.result !== undefined ? (JSON.parse(graded.result) as ClientCheck) : check;
  }

  async function find(clientId: string, checkId: string): Promise<CheckRecord> {
    if (!checkIdPattern.test(checkId)) throw unknownCheck();
    const record = await store.checks.find(checkId);
    if (!record || record.clientId !== clientId) throw unknownCheck();
    return record;
  }

  async function start(request: Request, { client }: ManagedClient): Promise<Response> {
    const duration = readDuration(await readJsonBody(request));
    const now = clock.now();
    const record: CheckRecord = {
      id: randomBytes(16).toString('base64url'),
      clientId: client.clientId,
      startedAtMs: now,
      endsAtMs: now + duration * 1000,
    };
    const running = await store.checks.start(record, now);
    if (running) {
      // RFC 9110 §15.5.10: a 409 says enough to resolve the conflict; Location names the running check.
      const url = `${issuer}${clientCheckPath(running.clientId, running.id)}`;
      throw new OAuthError(
        'invalid_request',
        409,
        `A check of this client is running until ${iso(running.endsAtMs)}: read it at ${url}, or start another once it ends.`,
        { headers: { location: url } },
      );
    }
    faults.started(record);
    const check = await resourceOf(record);
    return jsonResponse(check, 201, { location: check.url });
  }

  function stream(record: CheckRecord, address: string): Response {
    if ((perAddress.get(address) ?? 0) >= checkStreamLimits.perAddress) {
      throw new OAuthError(
        'too_many_requests',
        429,
        `Too many live check streams from this address: at most ${checkStreamLimits.perAddress}. Close another page first.`,
        { headers: { 'retry-after': '10' } },
      );
    }
    perAddress.set(address, (perAddress.get(address) ?? 0) + 1);
    return liveStreamResponse(open, checkStreamLimits, ({ send, stop, onEnd }) => {
      let ended = false;
      let last = '';
      let timer: ReturnType<typeof setTimeout> | undefined;
      onEnd(() => {
        ended = true;
        clearTimeout(timer);
        const count = (perAddress.get(address) ?? 1) - 1;
        if (count <= 0) perAddress.delete(address);
        else perAddress.set(address, count);
      });
      // One event each time the check changes; the last when it is done, then the stream ends.
      const poll = async () => {
        timer = undefined;
        if (ended) return;
        try {
          const current = (await store.checks.find(record.id)) ?? record;
          const check = await resourceOf(current);
          const json = JSON.stringify(check);
          if (json !== last) {
            last = json;
            send(`event: check\ndata: ${json}\n\n`);
          }
          if (check.status === 'done') return stop();
        } catch {
          // The store is unreachable for a moment: try again at the next tick.
        }
        if (!ended) {
          timer = setTimeout(() => void poll(), checkStreamLimits.pollMs);
          timer.unref?.();
        }
      };
      void poll();
    });
  }

  return {
    /**
     * `GET .../checks/{id}` for anyone (no credentials: the id is the capability). Undefined for
     * what is not such a read, which then goes through the registration token's authentication.
     */
    async read(
      request: Request,
      clientId: string,
      { addressKey }: EndpointContext,
      rest: string,
    ): Promise<Response | undefined> {
      if (!rest.startsWith('/') || rest.length < 2) return undefined;
      const checkId = rest.slice(1);
      if (checkId.includes('/')) throw unknownCheck();
      allowMethods(request, ['GET']);
      const record = await find(clientId, checkId);
      if (request.headers.get('accept')?.includes('text/event-stream')) return stream(record, addressKey);
      return jsonResponse(await resourceOf(record));
    },
    /** `POST .../checks`, with the registration access token. */
    async handle(request: Request, managed: ManagedClient, _context: EndpointContext, rest: string) {
      if (rest !== '') throw new OAuthError('not_found', 404, 'No sandbox endpoint at this path.');
      allowMethods(request, ['POST']);
      return start(request, managed);
    },
    /** Ends every open stream (shutting down). */
    closeAll() {
      for (const stop of [...open]) stop();
    },
  };
}
