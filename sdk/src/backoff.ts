/** Reconnect delays: exponential, capped, with jitter so that a restarted server is not hit by every client at once. */
export interface BackoffOptions {
  /** first delay (ms), default 250 */
  baseMs?: number;
  /** largest delay (ms), default 10 000 */
  maxMs?: number;
}

/** The delay before reconnect attempt `attempt` (0-based): a random value in [cap/2, cap) ("equal jitter"). */
export function backoffDelay(attempt: number, options: BackoffOptions = {}, random: () => number = Math.random): number {
  const base = options.baseMs ?? 250;
  const max = options.maxMs ?? 10_000;
  const cap = Math.min(max, base * 2 ** Math.min(attempt, 30));
  return cap / 2 + (cap / 2) * random();
}
