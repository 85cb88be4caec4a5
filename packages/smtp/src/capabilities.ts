/**
 * What the server's EHLO reply offers (RFC 5321 section 4.1.1.1): the first line greets, every other
 * line is a keyword with parameters, matched case-insensitively. An `HELO` session has none.
 */
export class Capabilities {
  private readonly entries = new Map<string, string[]>();

  constructor(
    /** The extension lines as the server sent them (after the greeting line). */
    readonly lines: readonly string[],
    /** False when the server did not take EHLO and the session fell back to HELO. */
    readonly extended = true,
  ) {
    for (const line of lines) {
      const [keyword, ...params] = line.trim().split(/[\s=]+/);
      if (keyword) this.entries.set(keyword.toUpperCase(), params);
    }
  }

  has(keyword: string): boolean {
    return this.entries.has(keyword.toUpperCase());
  }

  params(keyword: string): readonly string[] | undefined {
    return this.entries.get(keyword.toUpperCase());
  }

  /** SASL mechanisms offered (RFC 4954), upper-cased. */
  get authMechanisms(): readonly string[] {
    return (this.params('AUTH') ?? []).map((mechanism) => mechanism.toUpperCase());
  }

  /** RFC 1870: the largest message the server takes, in bytes; 0 is "no fixed limit", undefined is no SIZE. */
  get sizeLimit(): number | undefined {
    if (!this.has('SIZE')) return undefined;
    const value = Number(this.params('SIZE')?.[0] ?? 0);
    return Number.isSafeInteger(value) && value >= 0 ? value : 0;
  }

  get pipelining(): boolean {
    return this.has('PIPELINING');
  }

  get starttls(): boolean {
    return this.has('STARTTLS');
  }

  get eightBitMime(): boolean {
    return this.has('8BITMIME');
  }

  get smtpUtf8(): boolean {
    return this.has('SMTPUTF8');
  }

  get dsn(): boolean {
    return this.has('DSN');
  }

  get enhancedStatusCodes(): boolean {
    return this.has('ENHANCEDSTATUSCODES');
  }
}
