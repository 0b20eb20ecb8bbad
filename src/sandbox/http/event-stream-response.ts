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

/** One open live stream, as the endpoint that feeds it sees it. */
export interface LiveStream {
  /** Sends event-stream text; nothing once the stream has ended (a reader that left ends it). */
  send: (text: string) => void;
  /** Ends the stream, once: runs every {@link LiveStream.onEnd} and closes the body. */
  stop: () => void;
  /** Runs `cleanup` when the stream ends (at once if it already has): unsubscribe, release a count. */
  onEnd: (cleanup: () => void) => void;
}

/** How a live stream keeps itself alive and bounded. */
export interface LiveStreamTiming {
  /** A comment line this often, so that proxies and browsers keep an idle connection. */
  heartbeatMs: number;
  /** The `retry:` the stream announces: how long a browser waits before reconnecting (WHATWG HTML §9.2). */
  retryMs: number;
  /** The stream ends after this long, when set; the browser reconnects. */
  maxDurationMs?: number;
}

/**
 * A live server-sent events stream: the retry line, then whatever `start` sends, with a heartbeat,
 * an optional deadline, and one `stop` that the reader's leaving, the deadline, the endpoint and
 * the sandbox's shutdown (through `open`, the set of open streams' stops) all share.
 */
export function liveStreamResponse(
  open: Set<() => void>,
  timing: LiveStreamTiming,
  start: (stream: LiveStream) => void | Promise<void>,
): Response {
  const encoder = new TextEncoder();
  let stop = () => {};
  const body = new ReadableStream<Uint8Array>({
    async start(controller) {
      let ended = false;
      const cleanups: (() => void)[] = [];
      const send = (text: string) => {
        if (ended) return;
        try {
          controller.enqueue(encoder.encode(text));
        } catch {
          stop();
        }
      };
      const heartbeat = setInterval(() => send(': heartbeat\n\n'), timing.heartbeatMs);
      heartbeat.unref?.();
      const deadline =
        timing.maxDurationMs === undefined ? undefined : setTimeout(() => stop(), timing.maxDurationMs);
      deadline?.unref?.();
      stop = () => {
        if (ended) return;
        ended = true;
        clearInterval(heartbeat);
        clearTimeout(deadline);
        open.delete(stop);
        for (const cleanup of cleanups) cleanup();
        try {
          controller.close();
        } catch {
          // Already closed by the reader.
        }
      };
      open.add(stop);
      send(`retry: ${timing.retryMs}\n\n`);
      const onEnd = (cleanup: () => void) => (ended ? cleanup() : void cleanups.push(cleanup));
      await start({ send, stop: () => stop(), onEnd });
    },
    cancel() {
      stop();
    },
  });
  return eventStreamResponse(body);
}
