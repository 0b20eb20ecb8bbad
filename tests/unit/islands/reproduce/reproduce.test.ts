import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RegisteredClient } from '../../../../src/lib/sandbox-contract/index.ts';
import {
  createScenarioClients,
  errorOf,
  expectations,
  reproduce,
  reproducibleErrors,
  ScenarioStepFailed,
  type ClientCache,
} from '../../../../src/islands/reproduce/reproduce.ts';
import { apiProfile } from '../../../../src/lib/api-profile.ts';
import { responseJson } from '../../../../src/lib/http-message.ts';
import { renderedExampleText } from '../../../support/rendered-examples.ts';
import { createHarness, type Harness } from '../../sandbox/harness.ts';
import { sendToHarness } from '../support.ts';

// Every scenario against a real sandbox in-process; the sandbox's frozen clock is the scenarios'
// clock, so "wait 5 seconds" advances it instead of sleeping.
describe('the errors page scenarios', () => {
  let harness: Harness;
  beforeEach(async () => {
    harness = await createHarness();
  });
  afterEach(async () => {
    await harness.close();
  });

  function dependencies() {
    const send = sendToHarness(harness);
    const steps: string[] = [];
    const countdown: (number | undefined)[] = [];
    return {
      steps,
      countdown,
      deps: {
        send,
        sleep: async (ms: number) => harness.clock.advance(ms),
        now: () => harness.clock.now(),
        clients: createScenarioClients(send, undefined, () => harness.clock.now() / 1000),
        onStep: (text: string) => steps.push(text),
        onCountdown: (ms: number | undefined) => countdown.push(ms),
      },
    };
  }

  it.each(reproducibleErrors)('%s: the sandbox answers the error the page describes', async (error) => {
    const { deps, steps } = dependencies();
    const result = await reproduce(error, deps);
    const expected = expectations[error];
    expect(errorOf(result.exchange)).toEqual({ status: expected.status, error: expected.error });
    expect(result.matched).toBe(true);
    expect(steps.length).toBeGreaterThan(0);
  });

  it('invalid_scope does what the example above its button prints: the same request, the same answer', async () => {
    const { deps } = dependencies();
    const result = await reproduce('invalid_scope', deps);
    const printed = renderedExampleText('http/errors/invalid_scope.http', {
      profile: apiProfile,
      origin: 'http://localhost:4321',
    });
    const printedBody = printed.match(/^grant_type=.*$/m)?.[0];
    const printedAnswer = JSON.parse(printed.slice(printed.lastIndexOf('\n{'))) as Record<string, string>;
    expect(result.exchange.request.body).toBe(printedBody);
    const answer = responseJson(result.exchange.response!) as Record<string, string>;
    expect(answer.error_description).toBe(printedAnswer.error_description);
  });

  it('invalid_token waits, with a countdown, until the 5-second token has expired', async () => {
    const { deps, steps, countdown } = dependencies();
    const started = harness.clock.now();
    const result = await reproduce('invalid_token', deps);
    expect(result.matched).toBe(true);
    expect(harness.clock.now() - started).toBeGreaterThanOrEqual(5000);
    const ticks = countdown.filter((ms): ms is number => ms !== undefined);
    expect(ticks.length).toBeGreaterThanOrEqual(5);
    expect(ticks).toEqual([...ticks].sort((a, b) => b - a));
    expect(countdown.at(-1)).toBeUndefined();
    expect(steps).toContain('Called the API with it at once: HTTP 200.');
    expect(errorOf(result.exchange).error).toBe('invalid_token');
  });

  it('registers each shared client once for all the buttons', async () => {
    const { deps } = dependencies();
    let registrations = 0;
    const counting = {
      ...deps,
      send: (request: Parameters<typeof deps.send>[0]) => (
        (registrations += request.target === '/oauth/register' ? 1 : 0),
        deps.send(request)
      ),
    };
    counting.clients = createScenarioClients(counting.send);
    for (const error of [
      'invalid_request',
      'invalid_client',
      'invalid_scope',
      'insufficient_scope',
      'invalid_grant',
    ] as const)
      await reproduce(error, counting);
    expect(registrations).toBe(2);
  });

  it('reuses cached clients until an hour before they expire', async () => {
    const stored = new Map<string, RegisteredClient>();
    const cache: ClientCache = {
      get: (name) => stored.get(name),
      set: (name, client) => stored.set(name, client),
    };
    const send = sendToHarness(harness);
    const first = await createScenarioClients(send, cache, () => harness.clock.now() / 1000).reader();
    expect(await createScenarioClients(send, cache, () => harness.clock.now() / 1000).reader()).toEqual(
      first,
    );
    const later = () => harness.clock.now() / 1000 + 23.5 * 3600;
    expect((await createScenarioClients(send, cache, later).reader()).clientId).not.toBe(first.clientId);
  });

  it('stops with the failed step when a client cannot be registered', async () => {
    const { deps } = dependencies();
    const failing = {
      ...deps,
      clients: createScenarioClients(async (request) => ({
        request,
        response: { status: 429, statusText: '', headers: [], bodyText: '{"error":"too_many_requests"}' },
        networkError: undefined,
        elapsedMs: 1,
      })),
    };
    await expect(reproduce('invalid_scope', failing)).rejects.toBeInstanceOf(ScenarioStepFailed);
  });
});
