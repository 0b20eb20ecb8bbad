import { randomUUID } from 'node:crypto';
import type { ApiProfile } from '../../lib/api-profile.ts';
import type { Clock } from '../clock.ts';
import { readJsonBody } from '../http/json-body.ts';
import { jsonResponse, jsonTextResponse } from '../http/json-response.ts';
import { allowMethods } from '../http/methods.ts';
import { OAuthError } from '../http/oauth-error.ts';
import type { EndpointContext } from '../http/request-context.ts';
import { LruMap } from '../lru-map.ts';
import type { BearerAuthenticator } from './verify-bearer-token.ts';

/** One report of the sample API. */
export interface Report {
  id: string;
  title: string;
  summary: string;
  created_at: string;
  created_by: string;
}

/** What every caller sees: fixed samples, so GET has something to show before any POST. */
const sampleReports: readonly Report[] = [
  {
    id: 'rep-2025-q1',
    title: 'Quarterly revenue, Q1',
    summary: 'Revenue by region for January to March.',
    created_at: '2025-04-02T09:00:00Z',
    created_by: 'sandbox',
  },
  {
    id: 'rep-2025-q2',
    title: 'Quarterly revenue, Q2',
    summary: 'Revenue by region for April to June.',
    created_at: '2025-07-01T09:00:00Z',
    created_by: 'sandbox',
  },
  {
    id: 'rep-uptime-06',
    title: 'Service uptime, June',
    summary: 'Availability of each public endpoint.',
    created_at: '2025-07-03T12:30:00Z',
    created_by: 'sandbox',
  },
];

/** Reports one client may create; the oldest go first. Created reports live in memory only: the API is a sample. */
const maxReportsPerClient = 20;
/** Clients whose reports are kept; the least recently active go first. */
export const maxClientsWithReports = 1_000;
/**
 * Clients of one address (an IPv4 address, an IPv6 /64) whose reports are kept: past it, that
 * address's own least recently active client goes, so one address cannot push out everyone
 * else's reports by posting from many clients. A classroom behind one NAT still has room.
 */
export const maxClientsWithReportsPerAddress = 50;

const maxTitleLength = 200;
const maxSummaryLength = 2_000;

/**
 * The sample protected API: `GET /api/v1/reports` (the profile's `readScope`) lists the samples
 * and the caller's own reports; `POST /api/v1/reports` (its `writeScope`) creates one.
 */
export function createReportsApi(
  authenticate: BearerAuthenticator,
  clock: Clock,
  { readScope, writeScope }: Pick<ApiProfile, 'readScope' | 'writeScope'>,
) {
  const byClient = new LruMap<string, { reports: Report[]; address: string }>();
  const clientsByAddress = new Map<string, LruMap<string, true>>();
  // The answer of almost every GET: serialized once.
  const samplesJson = JSON.stringify({ reports: sampleReports });

  function forget(clientId: string) {
    const entry = byClient.peek(clientId);
    if (!entry) return;
    byClient.delete(clientId);
    const clients = clientsByAddress.get(entry.address);
    clients?.delete(clientId);
    if (clients?.size === 0) clientsByAddress.delete(entry.address);
  }

  function ownReports(clientId: string, address: string): Report[] {
    const known = byClient.get(clientId);
    if (known) {
      clientsByAddress.get(known.address)?.get(clientId);
      return known.reports;
    }
    let clients = clientsByAddress.get(address);
    if (!clients) clientsByAddress.set(address, (clients = new LruMap()));
    if (clients.size >= maxClientsWithReportsPerAddress) forget(clients.oldest()![0]);
    const entry = { reports: [] as Report[], address };
    byClient.set(clientId, entry);
    clients.set(clientId, true);
    if (byClient.size > maxClientsWithReports) forget(byClient.oldest()![0]);
    return entry.reports;
  }

  return async function handleReports(
    request: Request,
    { observed, addressKey, trace }: EndpointContext,
  ): Promise<Response> {
    allowMethods(request, ['GET', 'POST']);
    if (request.method === 'POST') {
      const caller = await authenticate(request, writeScope, observed, trace);
      const body = await readJsonBody(request);
      if (typeof body !== 'object' || body === null || Array.isArray(body)) {
        throw new OAuthError('invalid_request', 400, 'The body must be a JSON object with a title string.');
      }
      const { title, summary } = body as Record<string, unknown>;
      if (typeof title !== 'string' || title.trim() === '' || title.length > maxTitleLength) {
        throw new OAuthError(
          'invalid_request',
          400,
          `The title must be a non-empty string of at most ${maxTitleLength} characters.`,
        );
      }
      if (summary !== undefined && (typeof summary !== 'string' || summary.length > maxSummaryLength)) {
        throw new OAuthError(
          'invalid_request',
          400,
          `The summary, when present, must be a string of at most ${maxSummaryLength} characters.`,
        );
      }
      const report: Report = {
        id: `rep-${randomUUID()}`,
        title: title.trim(),
        summary: summary ?? '',
        created_at: new Date(clock.now()).toISOString(),
        created_by: caller.claims.client_id,
      };
      const reports = ownReports(caller.claims.client_id, addressKey);
      reports.push(report);
      if (reports.length > maxReportsPerClient) reports.shift();
      return jsonResponse(report, 201);
    }
    const caller = await authenticate(request, readScope, observed, trace);
    const own = byClient.peek(caller.claims.client_id)?.reports;
    return own ? jsonResponse({ reports: [...sampleReports, ...own] }) : jsonTextResponse(samplesJson);
  };
}
