import { describe, expect, it } from 'vitest';
import { maxClientsWithReports } from '../../../src/sandbox/resource/reports.ts';
import { createHarness, type Harness, type RegisteredClient } from './harness.ts';

const post = (h: Harness, token: string, title: string, from: string) =>
  h.call(
    '/api/v1/reports',
    {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ title }),
    },
    from,
  );
const titles = async (h: Harness, token: string) =>
  (
    (await (await h.call('/api/v1/reports', { headers: { authorization: `Bearer ${token}` } })).json()) as {
      reports: { title: string }[];
    }
  ).reports.map((report) => report.title);

describe('one address cannot evict every other client’s reports', () => {
  it(
    'keeps a reader’s report while one address floods the API from many clients',
    { timeout: 120_000 },
    async () => {
      const h = await createHarness({ rateLimit: false });
      const reader = await h.register({}, '198.51.100.1');
      const readerToken = await h.token(reader);
      expect((await post(h, readerToken, 'My report', '198.51.100.1')).status).toBe(201);

      const flooder = '203.0.113.66';
      let client: RegisteredClient;
      for (let i = 0; i <= maxClientsWithReports; i++) {
        client = await h.register({}, flooder);
        expect((await post(h, await h.token(client), `flood ${i}`, flooder)).status).toBe(201);
      }
      expect(await titles(h, readerToken)).toContain('My report');
      // The flooder's own latest report is kept: its older clients went first.
      expect(await titles(h, await h.token(client!))).toContain(`flood ${maxClientsWithReports}`);
      await h.close();
    },
  );
});
