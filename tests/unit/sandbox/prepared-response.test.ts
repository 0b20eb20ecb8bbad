import { describe, expect, it } from 'vitest';
import {
  createPreparedResponse,
  preparedResponseParts,
} from '../../../src/sandbox/http/prepared-response.ts';

describe('prepared responses', () => {
  it('are Responses to every caller: status, headers, body, clone', async () => {
    const response = createPreparedResponse(
      201,
      { 'content-type': 'application/json', 'x-a': '1' },
      '{"a":1}',
    );
    expect(response).toBeInstanceOf(Response);
    expect(response.status).toBe(201);
    expect(response.ok).toBe(true);
    expect(response.headers.get('x-a')).toBe('1');
    expect(await response.clone().json()).toEqual({ a: 1 });
    expect(await response.text()).toBe('{"a":1}');
    expect(response.bodyUsed).toBe(true);
  });

  it('hand their fields to a host until something builds the real Response', () => {
    const response = createPreparedResponse(404, { 'content-type': 'application/json' }, '{}');
    expect(preparedResponseParts(response)).toEqual({
      status: 404,
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    // Changing headers goes through the real Response; the host must then read that one.
    response.headers.set('x-added', 'yes');
    expect(preparedResponseParts(response)).toBeUndefined();
    expect(response.headers.get('x-added')).toBe('yes');
  });

  it('may have no body', async () => {
    const response = createPreparedResponse(204, {}, undefined);
    expect(preparedResponseParts(response)?.body).toBeUndefined();
    expect(response.body).toBeNull();
    expect(await response.text()).toBe('');
  });

  it('are not mistaken for prepared ones when they are ordinary Responses', () => {
    expect(preparedResponseParts(new Response('x'))).toBeUndefined();
  });
});
