import { useRef, useState } from 'react';

/**
 * One request at a time for a button: a double or triple click sends one request, not three.
 * The button stays enabled (marked `aria-busy`), so keyboard focus stays on it while the request
 * runs: a disabled button would drop focus to `<body>` (HTML §6.6.3, focus fixup).
 */
export function useSingleFlight(): [busy: boolean, run: (action: () => Promise<void>) => Promise<void>] {
  const running = useRef(false);
  const [busy, setBusy] = useState(false);
  async function run(action: () => Promise<void>) {
    if (running.current) return;
    running.current = true;
    setBusy(true);
    try {
      await action();
    } finally {
      running.current = false;
      setBusy(false);
    }
  }
  return [busy, run];
}
