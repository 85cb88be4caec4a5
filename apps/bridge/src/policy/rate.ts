/**
 * New relays per client per minute, as a token bucket: up to `perMinute` at once, refilled evenly over
 * the minute. Buckets that are full again are forgotten, so memory follows the recently active clients.
 */
export class NewConnectionRate {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private refillPerMs: number;

  constructor(
    private perMinute: number,
    private readonly now: () => number = Date.now,
  ) {
    this.refillPerMs = perMinute / 60_000;
  }

  /** A new rate (a reload); buckets keep their tokens, capped at the new size. */
  setPerMinute(perMinute: number): void {
    this.perMinute = perMinute;
    this.refillPerMs = perMinute / 60_000;
  }

  /** Takes one token for `client`; false when its bucket is empty. */
  tryTake(client: string): boolean {
    const now = this.now();
    const bucket = this.buckets.get(client) ?? { tokens: this.perMinute, at: now };
    bucket.tokens = Math.min(this.perMinute, bucket.tokens + (now - bucket.at) * this.refillPerMs);
    bucket.at = now;
    if (bucket.tokens < 1) {
      this.buckets.set(client, bucket);
      return false;
    }
    bucket.tokens -= 1;
    this.buckets.set(client, bucket);
    return true;
  }

  /** Drops the buckets that have refilled completely; call now and then. */
  sweep(): void {
    const now = this.now();
    for (const [client, bucket] of this.buckets) {
      if (bucket.tokens + (now - bucket.at) * this.refillPerMs >= this.perMinute) this.buckets.delete(client);
    }
  }

  get tracked(): number {
    return this.buckets.size;
  }
}
