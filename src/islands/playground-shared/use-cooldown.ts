import { useEffect, useState } from 'react';
import type { HttpExchange } from '../../lib/http-exchange.ts';
import { responseHeader } from '../../lib/http-message.ts';
import { parseRetryAfter } from '../../lib/retry-after.ts';
import { secondsLeft } from './network-failure.ts';

/**
 * The wait a 429 asks for (RFC 6585 §4, `Retry-After` per RFC 9110 §10.2.3), as a live count of
 * seconds: 0 when there is nothing to wait for. `note(exchange)` starts it from an answer.
 */
export function useCooldown(): [left: number, note: (exchange: HttpExchange) => void] {
  const [until, setUntil] = useState<number | undefined>();
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (until === undefined) return;
    setNow(Date.now());
    const timer = setInterval(() => {
      const at = Date.now();
      setNow(at);
      if (at >= until) {
        setUntil(undefined);
        clearInterval(timer);
      }
    }, 250);
    return () => clearInterval(timer);
  }, [until]);
  function note(exchange: HttpExchange) {
    const response = exchange.response;
    if (response?.status !== 429) return;
    const wait = parseRetryAfter(responseHeader(response, 'retry-after'), Date.now()) ?? 1000;
    setUntil(Date.now() + wait);
  }
  return [until === undefined ? 0 : secondsLeft(until, now), note];
}
