import { randomUUID } from 'node:crypto';
import { errorResponse, OAuthError, type Sandbox, type Store } from '../sandbox/index.ts';

/** The sandbox and the store it runs on, once both are open. */
export interface OpenedSandbox {
  sandbox: Sandbox;
  store: Store;
}

/** What {@link createDeferredSandbox} needs. */
export interface DeferredSandboxOptions {
  /** Opens the store and creates the sandbox on it; rejects while the store cannot be reached. */
  open: () => Promise<OpenedSandbox>;
  /** The public origin, for the `error_uri` of the 503 answers. */
  siteUrl: string;
  /** True for a failure that waiting cannot fix (a wrong Redis password): the host stops. */
  isFatal: (error: unknown) => boolean;
  onFatal: (error: unknown) => void;
  log: (fields: Record<string, unknown>) => void;
  /** The wait between two attempts; default 2 s. */
  retryMs?: number;
}

/** What the host's health check reports: the sandbox's state, beside docs that always serve. */
export interface SandboxHealth {
  status: 'ok' | 'unavailable';
  /** `starting`: the store has not answered since start-up; `unreachable`: it stopped answering. */
  store: 'ok' | 'starting' | 'unreachable';
}

/** How long a client should wait before it tries again, in seconds (RFC 9110 §10.2.3). */
const retryAfterSeconds = 1;

/**
 * A sandbox that starts while its store (Redis) is down: until the store answers, every sandbox
 * request gets 503 `temporarily_unavailable` with `Retry-After` (never a hang or another 5xx),
 * while the docs keep serving; the store is tried again every `retryMs`, and the real sandbox
 * takes over as soon as it opens. Instances and Redis restarted together then come up in any
 * order.
 */
export function createDeferredSandbox({
  open,
  siteUrl,
  isFatal,
  onFatal,
  log,
  retryMs = 2_000,
}: DeferredSandboxOptions): { sandbox: Sandbox; health: () => Promise<SandboxHealth> } {
  let opened: OpenedSandbox | undefined;
  let closed = false;
  let retryTimer: NodeJS.Timeout | undefined;
  let attempts = 0;

  async function attempt(): Promise<void> {
    attempts++;
    try {
      const result = await open();
      if (closed) {
        await result.sandbox.close();
        return;
      }
      opened = result;
      if (attempts > 1) log({ level: 'info', message: 'The sandbox store answers: the sandbox is serving.' });
    } catch (error) {
      if (closed) return;
      if (isFatal(error)) {
        onFatal(error);
        return;
      }
      // Logged on the first failure and then once a minute, not every retry.
      if (attempts === 1 || attempts % Math.max(1, Math.round(60_000 / retryMs)) === 0) {
        log({
          level: 'warn',
          message:
            `The sandbox store cannot be reached ` +
            `(${error instanceof Error ? error.message : String(error)}): serving the docs, answering ` +
            `the sandbox's paths 503 until it answers; retrying every ${retryMs / 1000} s.`,
        });
      }
      retryTimer = setTimeout(() => void attempt(), retryMs);
    }
  }
  const first = attempt();

  const unavailable = (requestId: string | undefined) =>
    errorResponse(
      new OAuthError(
        'temporarily_unavailable',
        503,
        `The sandbox cannot reach its store just now. Retry in ${retryAfterSeconds} second.`,
        { headers: { 'retry-after': String(retryAfterSeconds) } },
      ),
      { siteUrl, requestId },
    );

  const sandbox: Sandbox = {
    async handle(request, context) {
      if (opened) return opened.sandbox.handle(request, context);
      if (context?.observed) context.observed.error = 'temporarily_unavailable';
      return unavailable(context?.requestId ?? randomUUID());
    },
    async rotateSigningKey() {
      if (!opened) throw new Error('The sandbox store cannot be reached.');
      await opened.sandbox.rotateSigningKey();
    },
    closeStreams() {
      opened?.sandbox.closeStreams();
    },
    async close() {
      closed = true;
      clearTimeout(retryTimer);
      await first.catch(() => {});
      await opened?.sandbox.close();
    },
  };

  return {
    sandbox,
    /** Asks the store now (a round trip with a deadline), so the answer is the truth of this moment. */
    async health() {
      if (!opened) return { status: 'unavailable', store: 'starting' };
      try {
        await opened.store.ping?.();
        return { status: 'ok', store: 'ok' };
      } catch {
        return { status: 'unavailable', store: 'unreachable' };
      }
    },
  };
}
