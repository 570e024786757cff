// Exponential backoff with jitter for reconnecting to the API server, so that
// many reflectors (and many Deckhand replicas) do not retry in lockstep.

/** Backoff tuning. */
export interface BackoffOptions {
  /** First delay. */
  initialMs: number;
  /** Largest delay. */
  maxMs: number;
  /** Growth per failed attempt. */
  factor: number;
  /** Each delay is the nominal one times a random factor in [1 - jitter, 1 + jitter]. */
  jitter: number;
}

/** 0.8 s, 1.6 s, 3.2 s, ... up to 30 s, each ±20 %. */
export const DEFAULT_BACKOFF: BackoffOptions = {
  initialMs: 800,
  maxMs: 30_000,
  factor: 2,
  jitter: 0.2,
};

/** Delays for consecutive failed attempts. */
export class Backoff {
  private attempts = 0;

  constructor(
    private readonly options: BackoffOptions,
    private readonly random: () => number = Math.random,
  ) {}

  /** The delay before the next attempt; each call counts one more failure. */
  next(): number {
    const { initialMs, maxMs, factor, jitter } = this.options;
    const nominal = Math.min(maxMs, initialMs * factor ** this.attempts);
    this.attempts += 1;
    const spread = 1 + jitter * (this.random() * 2 - 1);
    return Math.round(Math.min(maxMs * (1 + jitter), nominal * spread));
  }

  /** Failed attempts since the last reset. */
  get failures(): number {
    return this.attempts;
  }

  /** Starts over from the first delay, after a healthy period. */
  reset(): void {
    this.attempts = 0;
  }
}
