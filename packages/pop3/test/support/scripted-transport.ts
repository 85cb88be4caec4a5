import type { TlsInfo, Transport, TransportReceiver } from '../../src/transport.js';

export type Answer = string | Uint8Array | { close: true } | { silence: true };

/**
 * An in-memory server for unit tests: `answer` maps each client line to the bytes the server sends.
 * Server bytes are delivered asynchronously in pieces of `chunkSize`, so replies split at any size.
 */
export class ScriptedTransport implements Transport {
  readonly sent: string[] = [];
  /** Each send() call's lines: shows what went out together (pipelining). */
  readonly writes: string[][] = [];
  tls: TlsInfo | null = null;
  closed = false;
  tlsStarts = 0;
  private receiver: TransportReceiver | undefined;
  private partial = '';
  /** Server pieces scheduled but not yet handed to the client. */
  private undelivered = 0;

  constructor(
    private readonly greeting: Answer,
    private readonly answer: (line: string, transport: ScriptedTransport) => Answer | Answer[],
    private readonly chunkSize = Infinity,
  ) {}

  attach(receiver: TransportReceiver): void {
    this.receiver = receiver;
    this.deliver(this.greeting);
  }

  send(bytes: Uint8Array): void {
    const text = this.partial + Buffer.from(bytes).toString('utf8');
    const lines = text.split('\r\n');
    this.partial = lines.pop()!;
    this.writes.push(lines);
    for (const line of lines) {
      this.sent.push(line);
      const answers = this.answer(line, this);
      for (const answer of Array.isArray(answers) ? answers : [answers]) this.deliver(answer);
    }
  }

  async startTls(): Promise<TlsInfo> {
    this.tlsStarts++;
    this.tls = { protocol: 'TLSv1.3', cipher: 'TLS_AES_256_GCM_SHA384', authorized: true };
    return this.tls;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    queueMicrotask(() => this.receiver?.closed());
  }

  /** Bytes the client sent after its last CRLF (a command not yet whole). */
  get unterminated(): string {
    return this.partial;
  }

  /**
   * Resolves once every server byte so far has reached the client and the client has done what it
   * does in reply (the sends and promise callbacks it runs on receipt): then what it sent is final.
   */
  async settled(): Promise<void> {
    do await new Promise((resolve) => setImmediate(resolve));
    while (this.undelivered > 0);
  }

  /** Sends bytes from the server side, as if unprompted. */
  push(answer: Answer): void {
    this.deliver(answer);
  }

  private deliver(answer: Answer): void {
    if (typeof answer === 'object' && 'silence' in answer) return;
    if (typeof answer === 'object' && 'close' in answer) {
      setTimeout(() => this.close(), 0);
      return;
    }
    const bytes = typeof answer === 'string' ? new Uint8Array(Buffer.from(answer, 'latin1')) : answer;
    for (let i = 0; i < bytes.length; i += Math.min(this.chunkSize, bytes.length)) {
      const piece = bytes.slice(i, i + this.chunkSize);
      this.undelivered++;
      setTimeout(() => {
        this.undelivered--;
        if (!this.closed) this.receiver?.data(piece);
      }, 0);
    }
  }
}

/** Dot-stuffs a message and wraps it as a multi-line +OK reply. */
export function multiline(body: string, status = '+OK'): string {
  const stuffed = body.replace(/(^|\r\n)\./g, '$1..');
  const ended = stuffed === '' || stuffed.endsWith('\r\n') ? stuffed : `${stuffed}\r\n`;
  return `${status}\r\n${ended}.\r\n`;
}
