import { describe, expect, it } from 'vitest';
import type { HttpExchange } from '../../../../src/lib/http-exchange.ts';
import {
  buildReadCheckRequest,
  clientCheckPath,
  runningCheckIdOf,
} from '../../../../src/lib/sandbox-contract/index.ts';

function answered(status: number, headers: [string, string][]): HttpExchange {
  return {
    request: { method: 'POST', target: '/', headers: {} },
    response: { status, statusText: '', headers, bodyText: '' },
    networkError: undefined,
    elapsedMs: 1,
  };
}

describe('reading a check', () => {
  it('sends the registration access token when it has one', () => {
    const request = buildReadCheckRequest('c1', 'rat', 'k1');
    expect(request.target).toBe(clientCheckPath('c1', 'k1'));
    expect(request.headers.authorization).toBe('Bearer rat');
  });

  it('sends no Authorization header without one: the check id is the capability (the permalink)', () => {
    const request = buildReadCheckRequest('c1', undefined, 'k1');
    expect(request.headers).toEqual({ accept: 'application/json' });
  });
});

describe('the running check a 409 points at', () => {
  it.each([
    ['an absolute Location', 'http://localhost:4321/oauth/clients/c1/checks/AbC-_9', 'AbC-_9'],
    ['a path', '/oauth/clients/c1/checks/AbC-_9', 'AbC-_9'],
    ['a Location with a query', '/oauth/clients/c1/checks/AbC?x=1', 'AbC'],
    ['a Location that names no check', '/oauth/clients/c1', undefined],
    ['a Location that ends with the collection', '/oauth/clients/c1/checks/', undefined],
  ])('%s', (_, location, id) => {
    expect(runningCheckIdOf(answered(409, [['location', location]]))).toBe(id);
  });

  it('is undefined without a Location, or for another status', () => {
    expect(runningCheckIdOf(answered(409, []))).toBeUndefined();
    expect(runningCheckIdOf(answered(201, [['location', '/oauth/clients/c1/checks/k']]))).toBeUndefined();
  });
});
