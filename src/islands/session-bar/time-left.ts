/** "12 min 5 s left", "expired 3 s ago": the chip's time, in whole seconds. */
export function describeTimeLeft(expiresAtMs: number, nowMs: number): string {
  const seconds = Math.ceil((expiresAtMs - nowMs) / 1000);
  const format = (total: number) => {
    const h = Math.floor(total / 3600);
    const m = Math.floor((total % 3600) / 60);
    const s = total % 60;
    return h > 0 ? `${h} h ${m} min` : m > 0 ? `${m} min ${s} s` : `${s} s`;
  };
  return seconds > 0 ? `${format(seconds)} left` : `expired ${format(-seconds)} ago`;
}
