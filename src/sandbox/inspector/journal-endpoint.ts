import { liveStreamResponse } from '../http/event-stream-response.ts';
import type { ManagedClient } from '../authorization/client-configuration.ts';
import { jsonResponse } from '../http/json-response.ts';
import { allowMethods } from '../http/methods.ts';
import { OAuthError } from '../http/oauth-error.ts';
import type { EndpointContext } from '../http/request-context.ts';
import type { Journal } from './journal.ts';

/** Bounds on live streams: open at once per client and per address, and how long one lives. */
export const journalStreamLimits = {
  perClient: 5,
  perAddress: 10,
  /** A stream ends after this long; the reader reconnects with Last-Event-ID and misses nothing. */
  maxDurationMs: 30 * 60 * 1000,
  /** A comment line this often keeps proxies and idle timeouts from closing a quiet stream. */
  heartbeatMs: 15_000,
  /** What EventSource waits before reconnecting (the `retry` field). */
  retryMs: 2_000,
} as const;

/** Request ids are the host's UUIDs; anything else is cleaned before it goes on an `id:` line. */
const safeId = (id: string) => id.replace(/[^\w.-]/g, '').slice(0, 64);

/** The open streams, so that closing the sandbox can end them (a stream would hold a drain for its grace period). */
export interface JournalStreams {
  /** Ends every open stream. */
  closeAll(): void;
}

/**
 * `GET {registration_client_uri}/requests`: the client's journal, newest first, as JSON; or, with
 * `Accept: text/event-stream`, the same entries as server-sent events (oldest first, then each new
 * one as it is recorded), with heartbeats and resumption after `Last-Event-ID` (the id of the last
 * entry received: the request's `x-request-id`).
 */
export function createJournalEndpoint(journal: Journal) {
  const perClient = new Map<string, number>();
  const perAddress = new Map<string, number>();
  const open = new Set<() => void>();

  const count = (map: Map<string, number>, key: string, delta: number) => {
    const value = (map.get(key) ?? 0) + delta;
    if (value <= 0) map.delete(key);
    else map.set(key, value);
  };

  async function stream(request: Request, clientId: string, clientAddress: string): Promise<Response> {
    if (
      (perClient.get(clientId) ?? 0) >= journalStreamLimits.perClient ||
      (perAddress.get(clientAddress) ?? 0) >= journalStreamLimits.perAddress
    ) {
      throw new OAuthError(
        'too_many_requests',
        429,
        `Too many live journal streams: at most ${journalStreamLimits.perClient} per client and ` +
          `${journalStreamLimits.perAddress} per address. Close another page first.`,
        { headers: { 'retry-after': '10' } },
      );
    }
    count(perClient, clientId, 1);
    count(perAddress, clientAddress, 1);
    const lastEventId = request.headers.get('last-event-id');

    return liveStreamResponse(open, journalStreamLimits, async ({ send, onEnd }) => {
      onEnd(() => {
        count(perClient, clientId, -1);
        count(perAddress, clientAddress, -1);
      });
      const event = (id: string, json: string) => `id: ${safeId(id)}\nevent: request\ndata: ${json}\n\n`;
      // Listen before reading the backlog, so an entry recorded meanwhile is not lost.
      const early: [string, string][] = [];
      let live = false;
      onEnd(
        journal.subscribe(clientId, (entry, json) => {
          if (live) send(event(entry.id, json));
          else early.push([entry.id, json]);
        }),
      );
      const backlog = (await journal.list(clientId)).reverse();
      const resumeAt = lastEventId ? backlog.findIndex((entry) => entry.id === lastEventId) : -1;
      const sent = new Set<string>();
      for (const entry of backlog.slice(resumeAt + 1)) {
        sent.add(entry.id);
        send(event(entry.id, JSON.stringify(entry)));
      }
      for (const [id, json] of early) if (!sent.has(id)) send(event(id, json));
      live = true;
    });
  }

  return {
    // An arrow, not a method: the handler is passed around on its own (no `this` to lose).
    handle: async (
      request: Request,
      { client }: ManagedClient,
      { addressKey: clientAddress }: EndpointContext,
      rest: string,
    ) => {
      if (rest !== '') throw new OAuthError('not_found', 404, 'No sandbox endpoint at this path.');
      allowMethods(request, ['GET']);
      if (request.method === 'GET' && request.headers.get('accept')?.includes('text/event-stream'))
        return stream(request, client.clientId, clientAddress);
      return jsonResponse({ requests: await journal.list(client.clientId) });
    },
    closeAll() {
      for (const stop of [...open]) stop();
    },
  } satisfies JournalStreams & Record<string, unknown>;
}
