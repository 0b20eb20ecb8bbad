/**
 * A request that got no answer, in words a reader can act on. Browsers say only "Failed to fetch"
 * (Chromium), "NetworkError when attempting to fetch resource." (Firefox) or "Load failed" (Safari):
 * the Fetch standard hides the cause on purpose, so the page names the likely ones.
 */
export function describeNetworkFailure(browserMessage: string | undefined): string {
  const said = browserMessage ? ` (the browser said: ${browserMessage.replace(/\.$/, '')})` : '';
  return `No answer from the sandbox${said}. The server may be stopped or restarting, or this device may be offline: check the connection, then try again.`;
}

/** Whole seconds left until `untilMs`, at least 0: the 429 countdown. */
export function secondsLeft(untilMs: number, nowMs: number): number {
  return Math.max(0, Math.ceil((untilMs - nowMs) / 1000));
}

/** "1 second", "2 seconds". */
export function seconds(count: number): string {
  return `${count} second${count === 1 ? '' : 's'}`;
}
