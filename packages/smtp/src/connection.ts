import { feedUnlessUpgrading } from '@webpop/wire';
import { concatBytes, utf8 } from '@webpop/pop3/codec';
import type { TlsInfo, Transport } from '@webpop/pop3';
import {
  fromTransportError,
  SmtpClosedError,
  SmtpError,
  SmtpMessageError,
  SmtpProtocolError,
  SmtpTimeoutError,
  starttlsInjectionError,
} from './errors.js';
import { limits, type TimeoutName, type Timeouts } from './limits.js';
import { ReplyReader } from './protocol/reply-reader.js';
import type { Reply } from './protocol/reply.js';

/** One line of the SMTP dialogue, for a protocol log. Secrets and message bytes never reach it. */
export interface LogEntry {
  readonly direction: 'client' | 'server';
  readonly text: string;
}

export interface ConnectionOptions {
  /** Overrides of the RFC 5321 section 4.5.3.2 timeouts (`limits.timeouts`), in milliseconds. */
  readonly timeouts?: Partial<Timeouts>;
  /** Receives the dialogue line by line, secrets redacted, message content left out. */
  readonly onLog?: (entry: LogEntry) => void;
}

export interface CommandSpec {
  /** The line to send, without CRLF. */
  readonly line: string;
  /** The command's name in errors (`MAIL FROM`, `AUTH PLAIN`). */
  readonly name: string;
  /** What the protocol log shows for the line; defaults to the line. Secrets never reach it. */
  readonly logText?: string;
  /** Which RFC 5321 timeout applies to its reply. */
  readonly timeout: TimeoutName;
  /** STARTTLS: after a 220 to it, any byte before the handshake is an injection. */
  readonly upgradesToTls?: boolean;
}

interface Pending {
  readonly name: string;
  readonly timeout: TimeoutName;
  readonly upgradesToTls: boolean;
  readonly resolve: (reply: Reply) => void;
  readonly reject: (error: Error) => void;
}

/**
 * The SMTP command pipe: writes commands (several in one flight when the caller pipelines them, RFC
 * 2920), matches replies to them strictly in order, and times each reply out after its RFC 5321
 * timeout. Every reply resolves, whatever its code: the caller decides what a 4xx or 5xx means. Any
 * failure that leaves the stream in an unknown place closes the link and rejects everything waiting.
 */
export class SmtpConnection {
  private readonly reader: ReplyReader;
  private readonly pending: Pending[] = [];
  private readonly timeouts: Timeouts;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private failure: Error | undefined;
  private closedByQuit = false;
  /** Between 220 to STARTTLS and the end of the handshake: any byte from the server is an injection. */
  private tlsPending = false;
  /** While `data` waits for the transport to take a piece: settles that wait (with the failure). */
  private writing: ((error?: Error) => void) | undefined;

  constructor(
    private readonly transport: Transport,
    private readonly options: ConnectionOptions = {},
  ) {
    this.timeouts = { ...limits.timeouts, ...options.timeouts };
    this.reader = new ReplyReader({
      expectingReply: () => this.pending.length > 0 && !this.tlsPending,
      reply: (reply) => this.onReply(reply),
    });
  }

  /** Waits for the server's greeting: call once, first. */
  greeting(): Promise<Reply> {
    const reply = this.expect('greeting', 'greeting');
    this.transport.attach({
      data: (chunk) => this.onData(chunk),
      closed: (error) => this.onClosed(error),
    });
    return reply;
  }

  get closed(): boolean {
    return this.failure !== undefined;
  }

  get closeReason(): Error | undefined {
    return this.failure;
  }

  get tls(): TlsInfo | null {
    return this.transport.tls;
  }

  /** Sends one command; resolves with its reply. */
  command(spec: CommandSpec): Promise<Reply> {
    return this.flight([spec])[0]!;
  }

  /** Sends commands in one write (a pipelined group); resolves each with its reply, in order. */
  flight(specs: readonly CommandSpec[]): Promise<Reply>[] {
    if (this.failure) {
      const failure = this.failure;
      return specs.map(() => Promise.reject(failure));
    }
    const lines: Uint8Array[] = [];
    for (const spec of specs) {
      const bytes = utf8(`${spec.line}\r\n`);
      const limit = spec.name.startsWith('AUTH') ? limits.maxAuthLineBytes : limits.maxCommandLineBytes;
      if (bytes.length > limit || /[\r\n]/.test(spec.line)) {
        const error = new SmtpMessageError(
          `${spec.name}: the command line is too long or holds a line break`,
        );
        return specs.map(() => Promise.reject(error));
      }
      lines.push(bytes);
    }
    const replies = specs.map((spec) => this.expect(spec.name, spec.timeout, spec.upgradesToTls));
    for (const spec of specs) this.log('client', spec.logText ?? spec.line);
    this.transport.send(lines.length === 1 ? lines[0]! : concatBytes(lines));
    return replies;
  }

  /**
   * Message bytes (already dot-stuffed) after 354: written as they are, never logged. Resolves once the
   * transport has taken them (its `drained()`, so a slow link holds the source back); a link that takes
   * nothing for the data-block timeout fails with `timeout` and is closed.
   */
  async data(bytes: Uint8Array): Promise<void> {
    // Stuffing may have made a piece longer than the transport takes at once: the rest follows.
    const max = this.transport.maxSendBytes ?? bytes.length;
    for (let at = 0; at < bytes.length; at += max) {
      if (this.failure) throw this.failure;
      this.transport.send(at === 0 && max >= bytes.length ? bytes : bytes.subarray(at, at + max));
      // Under the transport's mark there is nothing to wait for, and no data-block timer to arm.
      const drained = this.transport.drained?.();
      if (drained) await this.untilTaken(drained);
    }
  }

  /**
   * Bytes of one message piece read from the source: the transport's `maxSendBytes` where it has one
   * (a base64 piece stuffs to itself, so through the bridge each piece fills one 64 KiB message: half
   * the messages of 32 KiB pieces; 35.9 MB through the built bridge to a sink, alternated, load 21–23:
   * engine + `ws` CPU 76–133 ms against 127–231, the bridge's 86–203 against 91–238); else
   * `limits.dataChunkBytes`.
   */
  get dataPieceBytes(): number {
    return this.transport.maxSendBytes ?? limits.dataChunkBytes;
  }

  /** After the final `.`: the reply that says whether the message was taken. */
  endOfData(terminator: Uint8Array, sentBytes: number): Promise<Reply> {
    if (this.failure) return Promise.reject(this.failure);
    const reply = this.expect('end of DATA', 'dataTermination');
    this.log('client', `<message: ${sentBytes} bytes>`);
    this.transport.send(terminator);
    return reply;
  }

  /** After 220 to STARTTLS: upgrades the link; any byte the server sent in between is refused. */
  async startTls(): Promise<TlsInfo> {
    if (this.failure) throw this.failure;
    if (this.pending.length > 0)
      throw new SmtpProtocolError('STARTTLS is only possible with no reply awaited');
    this.tlsPending = true;
    this.reader.reset();
    try {
      const info = await this.transport.startTls();
      this.tlsPending = false;
      return info;
    } catch (error) {
      this.fail(fromTransportError(error));
      throw this.failure;
    }
  }

  /** Marks the next close as the normal end of the session (after 221 to QUIT). */
  expectClose(): void {
    this.closedByQuit = true;
  }

  /** Ends the link at once; waiting replies fail with `reason`. */
  close(reason: Error = new SmtpClosedError('the connection was closed by the client')): void {
    this.fail(reason);
  }

  private untilTaken(drained: Promise<void>): Promise<void> {
    const ms = this.timeouts.dataBlock;
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => this.fail(new SmtpTimeoutError('DATA block', ms)), ms);
      const settle = (error?: Error) => {
        clearTimeout(timer);
        this.writing = undefined;
        if (error) reject(error);
        else resolve();
      };
      this.writing = settle;
      drained.then(
        () => (this.failure ? settle(this.failure) : settle()),
        (error: unknown) => {
          this.fail(fromTransportError(error));
          settle(this.failure);
        },
      );
    });
  }

  private expect(name: string, timeout: TimeoutName, upgradesToTls = false): Promise<Reply> {
    return new Promise<Reply>((resolve, reject) => {
      this.pending.push({ name, timeout, upgradesToTls, resolve, reject });
      if (this.pending.length === 1) this.armTimer();
    });
  }

  private onData(chunk: Uint8Array): void {
    if (this.failure) return;
    try {
      // Bytes after the 220 to STARTTLS, alone or in its chunk (the reader finds them answering nothing).
      if (
        !feedUnlessUpgrading(
          chunk,
          () => this.tlsPending,
          (bytes) => this.reader.feed(bytes),
        )
      ) {
        this.fail(starttlsInjectionError());
      }
    } catch (error) {
      this.fail(error instanceof Error ? error : new SmtpProtocolError(String(error)));
    }
  }

  private onReply(reply: Reply): void {
    reply.lines.forEach((text, i) =>
      this.log(
        'server',
        `${reply.code}${i < reply.lines.length - 1 ? '-' : ' '}${i === 0 && reply.enhancedStatus ? `${reply.enhancedStatus} ` : ''}${text}`,
      ),
    );
    const head = this.pending.shift();
    if (!head) return;
    if (head.upgradesToTls && reply.code === 220) this.tlsPending = true;
    this.armTimer();
    head.resolve(reply);
  }

  private onClosed(error?: Error): void {
    if (this.failure) return;
    const ended =
      this.closedByQuit && this.pending.length === 0 && !this.reader.midReply
        ? new SmtpClosedError('the session ended (QUIT)')
        : error && fromTransportError(error) instanceof SmtpError
          ? fromTransportError(error)
          : new SmtpClosedError(
              this.pending.length > 0
                ? `the server closed the connection before its reply to ${this.pending[0]!.name}`
                : 'the server closed the connection',
              { cause: error },
            );
    this.fail(ended);
  }

  private armTimer(): void {
    clearTimeout(this.timer);
    const head = this.pending[0];
    if (!head) return;
    const ms = this.timeouts[head.timeout];
    this.timer = setTimeout(() => this.fail(new SmtpTimeoutError(head.name, ms)), ms);
  }

  private fail(error: Error): void {
    if (this.failure) return;
    this.failure = error;
    clearTimeout(this.timer);
    for (const waiting of this.pending.splice(0)) waiting.reject(error);
    this.writing?.(error);
    this.transport.close();
  }

  private log(direction: LogEntry['direction'], text: string): void {
    this.options.onLog?.({ direction, text });
  }
}
