import { describe, expect, it } from 'vitest';
import { createLazyRequest } from '../../../src/server/lazy-request.ts';

describe('createLazyRequest', () => {
  it('is a Request with the given method, URL and headers', () => {
    const headers = new Headers({ authorization: 'Basic abc' });
    const request = createLazyRequest('POST', 'http://127.0.0.1/oauth/token', headers, undefined);
    expect(request).toBeInstanceOf(Request);
    expect(Object.prototype.toString.call(request)).toBe('[object Request]');
    expect(request.method).toBe('POST');
    expect(request.url).toBe('http://127.0.0.1/oauth/token');
    expect(request.headers).toBe(headers);
  });

  it('builds the real Request on demand: body, signal and methods work', async () => {
    const request = createLazyRequest(
      'POST',
      'http://127.0.0.1/oauth/token',
      new Headers({ 'content-type': 'text/plain' }),
      new TextEncoder().encode('grant_type=client_credentials'),
    );
    expect(request.signal).toBeInstanceOf(AbortSignal);
    expect(request.clone().method).toBe('POST');
    expect(request.bodyUsed).toBe(false);
    expect(await request.text()).toBe('grant_type=client_credentials');
    expect(request.bodyUsed).toBe(true);
    await expect(request.text()).rejects.toThrow(TypeError);
  });

  it('has no body for a GET', async () => {
    const request = createLazyRequest('GET', 'http://127.0.0.1/api/v1/reports', new Headers(), undefined);
    expect(request.body).toBeNull();
    expect(await request.text()).toBe('');
  });
});
