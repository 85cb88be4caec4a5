/** The server's CAPA answer (RFC 2449), keywords matched case-insensitively. */
export class Capabilities {
  private readonly entries = new Map<string, string[]>();

  constructor(readonly lines: readonly string[]) {
    for (const line of lines) {
      const [keyword, ...args] = line.trim().split(/\s+/);
      if (keyword) this.entries.set(keyword.toUpperCase(), args);
    }
  }

  has(keyword: string): boolean {
    return this.entries.has(keyword.toUpperCase());
  }

  args(keyword: string): readonly string[] | undefined {
    return this.entries.get(keyword.toUpperCase());
  }

  /** SASL mechanisms offered, upper-cased. */
  get saslMechanisms(): readonly string[] {
    return (this.args('SASL') ?? []).map((mechanism) => mechanism.toUpperCase());
  }

  get pipelining(): boolean {
    return this.has('PIPELINING');
  }

  /**
   * `LOGIN-DELAY n` (RFC 2449 section 6.8): the least number of seconds between two logins, else
   * undefined. Before login a server may add `USER` (the delay differs per user); the CAPA after login
   * gives the user's own.
   */
  get loginDelaySeconds(): number | undefined {
    const text = this.args('LOGIN-DELAY')?.[0];
    if (text === undefined || !/^\d{1,9}$/.test(text)) return undefined;
    return Number(text);
  }

  get implementation(): string | undefined {
    return this.args('IMPLEMENTATION')?.join(' ');
  }
}
