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

  get implementation(): string | undefined {
    return this.args('IMPLEMENTATION')?.join(' ');
  }

  /** LOGIN-DELAY in seconds, if announced. */
  get loginDelaySeconds(): number | undefined {
    const value = Number(this.args('LOGIN-DELAY')?.[0]);
    return Number.isFinite(value) ? value : undefined;
  }

  /** EXPIRE: days mail is kept on the server, `NEVER`, or undefined. */
  get expire(): string | undefined {
    return this.args('EXPIRE')?.[0];
  }
}
