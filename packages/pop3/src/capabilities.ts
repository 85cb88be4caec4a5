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
}
