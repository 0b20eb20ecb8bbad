import { describe, expect, it } from 'vitest';
import { encodeBasicCredentials } from '../../../src/lib/basic-auth.ts';
import {
  byteLength,
  displayHeaderName,
  formatBody,
  formatHttpRequest,
  formatHttpResponse,
  maskCharacter,
  maskRequestSecrets,
  reasonPhrase,
  responseHeader,
  responseJson,
  type HttpRequestDescription,
  type HttpResponseRecord,
} from '../../../src/lib/http-message.ts';

const secret = 'S3cr3t-value_~';
const basicRequest: HttpRequestDescription = {
  method: 'POST',
  target: '/oauth/token',
  headers: {
    'content-type': 'application/x-www-form-urlencoded',
    accept: 'application/json',
    authorization: encodeBasicCredentials('client-1', secret),
  },
  body: 'grant_type=client_credentials&scope=reports%3Aread',
};
const postRequest: HttpRequestDescription = {
  method: 'POST',
  target: '/oauth/token',
  headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
  body: `grant_type=client_credentials&client_id=client-1&client_secret=${secret}`,
};

describe('maskRequestSecrets', () => {
  it('hides Basic credentials, character for character, and nothing else', () => {
    const masked = maskRequestSecrets(basicRequest);
    const encoded = basicRequest.headers.authorization!.slice('Basic '.length);
    expect(masked.headers.authorization).toBe(`Basic ${maskCharacter.repeat(encoded.length)}`);
    expect(masked.body).toBe(basicRequest.body);
    expect(masked.headers.accept).toBe('application/json');
    expect(JSON.stringify(masked)).not.toContain(encoded);
  });

  it('hides the client_secret form field and keeps every other field as sent', () => {
    const masked = maskRequestSecrets(postRequest);
    expect(masked.body).toBe(
      `grant_type=client_credentials&client_id=client-1&client_secret=${maskCharacter.repeat(secret.length)}`,
    );
    expect(JSON.stringify(masked)).not.toContain(secret);
  });

  it('recognises the field name however it is encoded', () => {
    const masked = maskRequestSecrets({ ...postRequest, body: 'client%5Fsecret=abc&x=1' });
    expect(masked.body).toBe(`client%5Fsecret=${maskCharacter.repeat(3)}&x=1`);
  });

  it('leaves a Bearer token and a JSON body alone', () => {
    const api: HttpRequestDescription = {
      method: 'POST',
      target: '/api/v1/reports',
      headers: { authorization: 'Bearer abc', 'content-type': 'application/json' },
      body: '{"client_secret":"x"}',
    };
    expect(maskRequestSecrets(api)).toEqual(api);
  });

  it('does not change the request it was given', () => {
    const copy = structuredClone(postRequest);
    maskRequestSecrets(postRequest);
    expect(postRequest).toEqual(copy);
  });
});

describe('formatHttpRequest', () => {
  it('writes the request line, Host, the headers, Content-Length and the body', () => {
    expect(formatHttpRequest(postRequest, 'localhost:4321')).toBe(
      [
        'POST /oauth/token HTTP/1.1',
        'Host: localhost:4321',
        'Content-Type: application/x-www-form-urlencoded',
        'Accept: application/json',
        `Content-Length: ${postRequest.body!.length}`,
        '',
        postRequest.body,
      ].join('\n'),
    );
  });

  it('writes no Content-Length and no blank line body for a GET', () => {
    expect(
      formatHttpRequest(
        { method: 'GET', target: '/api/v1/reports', headers: { authorization: 'Bearer t' } },
        'h',
      ),
    ).toBe('GET /api/v1/reports HTTP/1.1\nHost: h\nAuthorization: Bearer t\n');
  });

  it('counts Content-Length in UTF-8 bytes', () => {
    expect(byteLength('é€')).toBe(5);
  });
});

describe('formatHttpResponse', () => {
  const response: HttpResponseRecord = {
    status: 401,
    statusText: '',
    headers: [
      ['content-type', 'application/json; charset=utf-8'],
      ['www-authenticate', 'Basic realm="sandbox"'],
    ],
    bodyText: '{"error":"invalid_client"}',
  };

  it('writes the status line with RFC 9110 reason phrase when none was sent, the headers and the JSON body indented', () => {
    expect(formatHttpResponse(response)).toBe(
      'HTTP/1.1 401 Unauthorized\ncontent-type: application/json; charset=utf-8\nwww-authenticate: Basic realm="sandbox"\n\n{\n  "error": "invalid_client"\n}',
    );
  });

  it('keeps a body that is not JSON as sent', () => {
    expect(formatBody('not json', 'application/json')).toBe('not json');
    expect(formatBody('{"a":1}', 'text/plain')).toBe('{"a":1}');
  });

  it('uses the reason phrase the server sent', () => {
    expect(reasonPhrase(200, 'Fine')).toBe('Fine');
    expect(reasonPhrase(299)).toBe('');
  });

  it('reads headers case-insensitively and the body as JSON', () => {
    expect(responseHeader(response, 'WWW-Authenticate')).toBe('Basic realm="sandbox"');
    expect(responseHeader(response, 'retry-after')).toBeUndefined();
    expect(responseJson(response)).toEqual({ error: 'invalid_client' });
    expect(responseJson({ ...response, bodyText: '' })).toBeUndefined();
    expect(responseJson({ ...response, bodyText: '{' })).toBeUndefined();
  });
});

describe('displayHeaderName', () => {
  it.each([
    ['content-type', 'Content-Type'],
    ['www-authenticate', 'Www-Authenticate'],
    ['accept', 'Accept'],
  ])('%s → %s', (name, shown) => expect(displayHeaderName(name)).toBe(shown));
});
