import { securityHeaders } from './security-headers.ts';

/**
 * A server-sent events answer (the journal's and a check's live streams): never stored, and not
 * held back by proxies that buffer (nginx honours `X-Accel-Buffering: no`).
 */
export function eventStreamResponse(body: ReadableStream<Uint8Array>): Response {
  return new Response(body, {
    status: 200,
    headers: {
      ...securityHeaders,
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      'x-accel-buffering': 'no',
    },
  });
}
