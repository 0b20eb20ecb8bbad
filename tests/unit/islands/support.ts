import { sendExchange } from '../../../src/lib/http-exchange.ts';
import type { HttpRequestDescription } from '../../../src/lib/http-message.ts';
import type { Harness } from '../sandbox/harness.ts';

/**
 * The islands' requests, sent to a real sandbox in-process: `handle()` of the harness, with its
 * frozen clock. Nothing of the sandbox is faked; only the network hop is skipped.
 */
export function sendToHarness(harness: Harness) {
  return (request: HttpRequestDescription) =>
    sendExchange(request, {
      fetch: (target, init) => harness.call(target, init),
      now: () => harness.clock.now(),
    });
}
