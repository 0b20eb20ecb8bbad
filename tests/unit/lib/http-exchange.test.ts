import { describe, expect, it } from 'vitest';
import { sendExchange } from '../../../src/lib/http-exchange.ts';

describe('sendExchange', () => {
  it('sends the request as described and records status, headers, body and timing', async () => {
    const seen: { input: string; init: RequestInit }[] = [];
    let clock = 100;
    const exchange = await sendExchange(
      { method: 'POST', target: '/oauth/token', headers: { accept: 'application/json' }, body: 'a=1' },
      {
        fetch: async (input, init) => {
          seen.push({ input, init });
          clock += 12;
          return new Response('{"ok":true}', {
            status: 201,
            headers: { 'content-type': 'application/json', 'x-one': '1' },
          });
        },
        now: () => clock,
      },
    );
    expect(seen).toHaveLength(1);
    expect(seen[0]!.input).toBe('/oauth/token');
    expect(seen[0]!.init).toMatchObject({
      method: 'POST',
      headers: { accept: 'application/json' },
      body: 'a=1',
      credentials: 'omit',
      redirect: 'manual',
    });
    expect(exchange.response).toEqual({
      status: 201,
      statusText: '',
      headers: [
        ['content-type', 'application/json'],
        ['x-one', '1'],
      ],
      bodyText: '{"ok":true}',
    });
    expect(exchange.elapsedMs).toBe(12);
    expect(exchange.networkError).toBeUndefined();
  });

  it('sends no body for a GET', async () => {
    let init: RequestInit | undefined;
    await sendExchange(
      { method: 'GET', target: '/api/v1/reports', headers: {} },
      { fetch: async (_input, given) => ((init = given), new Response('')) },
    );
    expect(init).not.toHaveProperty('body');
  });

  it('turns a network failure into networkError instead of throwing', async () => {
    const exchange = await sendExchange(
      { method: 'GET', target: '/x', headers: {} },
      { fetch: () => Promise.reject(new TypeError('Failed to fetch')) },
    );
    expect(exchange.response).toBeUndefined();
    expect(exchange.networkError).toBe('Failed to fetch');
  });
});
