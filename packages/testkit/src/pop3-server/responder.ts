import type { OutputQueue } from './output-queue.js';
import type { ResolvedFeatures } from './resolved-options.js';
import type { Pop3Quirks } from './types.js';

/** Whether the session reads another command after this one. */
export type Continue = boolean;

/** Writes a session's replies: status lines, multi-line bodies, the quirk of bare-LF line ends. */
export class Responder {
  constructor(
    private readonly out: OutputQueue,
    private readonly features: ResolvedFeatures,
    private readonly quirks: Pop3Quirks,
  ) {}

  /** Queues output; a server whose lines end in a bare LF writes LF where the code says CRLF. */
  write(data: Uint8Array | string): Promise<void> {
    if (typeof data === 'string' && this.lineEnding === 'lf')
      return this.out.write(data.replaceAll('\r\n', '\n'));
    return this.out.write(data);
  }

  get lineEnding(): 'crlf' | 'lf' {
    return this.quirks.lineEnding ?? 'crlf';
  }

  get eol(): string {
    return this.lineEnding === 'lf' ? '\n' : '\r\n';
  }

  async ok(text: string): Promise<Continue> {
    await this.write(`+OK ${text}\r\n`);
    return true;
  }

  async err(text: string, code?: string): Promise<Continue> {
    const withCode = code && this.features.respCodes ? `[${code}] ${text}` : text;
    await this.write(`-ERR ${withCode}\r\n`);
    return true;
  }

  async multiline(status: string, body: Buffer): Promise<Continue> {
    await this.write(`+OK ${status}\r\n`);
    await this.write(body);
    return true;
  }
}
