/** Counts open relays in total and per client key, refusing one over either limit. */
export class ConnectionLimits {
  private total = 0;
  private readonly perClient = new Map<string, number>();

  constructor(
    private maxTotal: number,
    private maxPerClient: number,
  ) {}

  /** New maxima (a reload): open relays over them stay, new ones wait until below. */
  setMaxima(maxTotal: number, maxPerClient: number): void {
    this.maxTotal = maxTotal;
    this.maxPerClient = maxPerClient;
  }

  get open(): number {
    return this.total;
  }

  /** Takes a slot for `client`, or says which limit is reached. */
  tryAcquire(client: string): 'ok' | 'total' | 'per-client' {
    if (this.total >= this.maxTotal) return 'total';
    const mine = this.perClient.get(client) ?? 0;
    if (mine >= this.maxPerClient) return 'per-client';
    this.total++;
    this.perClient.set(client, mine + 1);
    return 'ok';
  }

  release(client: string): void {
    const mine = this.perClient.get(client) ?? 0;
    if (mine <= 1) this.perClient.delete(client);
    else this.perClient.set(client, mine - 1);
    this.total = Math.max(0, this.total - 1);
  }
}
