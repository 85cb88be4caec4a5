import type { TlsInfo, Transport } from '@webpop/pop3';
import { authenticate, chooseMechanisms } from './auth/login.js';
import type { AuthChannel } from './auth/mechanisms.js';
import type { Credentials, SaslMethod } from './auth/methods.js';
import { Capabilities } from './capabilities.js';
import { SmtpConnection, type CommandSpec, type ConnectionOptions } from './connection.js';
import { SmtpAbortError, SmtpClosedError, SmtpProtocolError, SmtpUnsupportedError } from './errors.js';
import type { TimeoutName } from './limits.js';
import { refusal } from './refusal.js';
import { replyText, type Reply } from './protocol/reply.js';
import {
  sendMessage,
  type Envelope,
  type MessageSource,
  type SendOptions,
  type SendResult,
} from './transaction.js';

export interface ClientOptions extends ConnectionOptions {
  /**
   * The name this client gives in EHLO. Default `[127.0.0.1]`: an address literal that says nothing
   * about the user's machine (a browser knows no host name of its own, and a real one would leak it).
   */
  readonly clientName?: string;
}

/**
 * The session's state (RFC 5321 section 3): `greeted` until EHLO/HELO is answered, then `ready`
 * (between transactions), `sending` during one, and `closed` for good.
 */
export type SessionState = 'greeted' | 'ready' | 'sending' | 'closed';

/** The server's 220 greeting. */
export interface Greeting {
  readonly text: string;
}

/**
 * An SMTP submission client (RFC 5321, RFC 6409) over any transport: EHLO (HELO fallback), STARTTLS,
 * AUTH, and one message at a time through `send` (MAIL, RCPT, DATA, pipelined where offered).
 */
export class SmtpClient {
  private capabilitiesValue: Capabilities | undefined;
  private stateValue: SessionState = 'greeted';
  private authenticatedValue: SaslMethod | undefined;

  private constructor(
    private readonly connection: SmtpConnection,
    readonly greeting: Greeting,
    private readonly options: ClientOptions,
  ) {}

  /** Reads the greeting: 220 opens the session; 554 (or any refusal) is an SmtpServerError. */
  static async connect(transport: Transport, options: ClientOptions = {}): Promise<SmtpClient> {
    const connection = new SmtpConnection(transport, options);
    const reply = await connection.greeting();
    if (reply.code !== 220) {
      connection.close();
      throw refusal('greeting', reply, 'greeting');
    }
    return new SmtpClient(connection, { text: replyText(reply) }, options);
  }

  get state(): SessionState {
    return this.connection.closed ? 'closed' : this.stateValue;
  }

  /** What the last EHLO offered; undefined before it. */
  get capabilities(): Capabilities | undefined {
    return this.capabilitiesValue;
  }

  get tls(): TlsInfo | null {
    return this.connection.tls;
  }

  /** The SASL mechanism that authenticated this session, if one did. */
  get authenticated(): SaslMethod | undefined {
    return this.authenticatedValue;
  }

  /**
   * EHLO, or HELO when the server does not know EHLO (500/502/550: RFC 5321 section 3.2). Resets
   * what the session knew of the server's extensions.
   */
  async ehlo(): Promise<Capabilities> {
    const name = this.options.clientName ?? '[127.0.0.1]';
    const reply = await this.command({ line: `EHLO ${name}`, name: 'EHLO', timeout: 'other' });
    if (reply.code === 250) {
      this.capabilitiesValue = new Capabilities(reply.lines.slice(1));
    } else if ([500, 502, 550].includes(reply.code)) {
      const helo = await this.command({ line: `HELO ${name}`, name: 'HELO', timeout: 'other' });
      if (helo.code !== 250) throw refusal('HELO', helo, 'ehlo');
      this.capabilitiesValue = new Capabilities([], false);
    } else {
      throw refusal('EHLO', reply, 'ehlo');
    }
    this.stateValue = 'ready';
    return this.capabilitiesValue;
  }

  /**
   * RFC 3207: STARTTLS, the TLS handshake (any byte the server sends between its 220 and the handshake
   * is refused as an injection), then EHLO again, since what the server offered in plaintext may have
   * been forged and is forgotten.
   */
  async starttls(): Promise<TlsInfo> {
    if (this.tls) throw new SmtpProtocolError('the link is already encrypted');
    if (!this.capabilitiesValue?.starttls) {
      throw new SmtpUnsupportedError(
        'the server does not offer STARTTLS, so the connection cannot be encrypted',
      );
    }
    const reply = await this.command({
      line: 'STARTTLS',
      name: 'STARTTLS',
      timeout: 'other',
      upgradesToTls: true,
    });
    if (reply.code !== 220) throw refusal('STARTTLS', reply, 'starttls');
    this.capabilitiesValue = undefined;
    const info = await this.connection.startTls();
    await this.ehlo();
    return info;
  }

  /** RFC 4954 AUTH with the strongest fitting mechanism (or the one asked for); see `Credentials`. */
  async authenticate(credentials: Credentials): Promise<SaslMethod> {
    const capabilities = this.requireReady();
    const methods = chooseMechanisms(credentials, capabilities, this.tls !== null);
    const channel: AuthChannel = {
      exchange: (line, logText) => this.command({ line, logText, name: `AUTH`, timeout: 'other' }),
    };
    this.authenticatedValue = await authenticate(channel, credentials, methods);
    return this.authenticatedValue;
  }

  /**
   * One message: MAIL FROM, RCPT TO for each recipient, DATA with the message dot-stuffed as it streams.
   * See `SendOptions` for refused recipients, DSN and progress; `SendResult` for what the server said.
   */
  async send(envelope: Envelope, message: MessageSource, options: SendOptions = {}): Promise<SendResult> {
    const capabilities = this.requireReady();
    if (this.stateValue === 'sending') throw new SmtpProtocolError('a message is already being sent');
    const { signal } = options;
    if (signal?.aborted) throw new SmtpAbortError('send');
    const onAbort = () => this.connection.close(new SmtpAbortError('send'));
    signal?.addEventListener('abort', onAbort, { once: true });
    this.stateValue = 'sending';
    try {
      return await sendMessage(this.connection, capabilities, envelope, message, options, () => this.rset());
    } finally {
      signal?.removeEventListener('abort', onAbort);
      if (this.stateValue === 'sending') this.stateValue = 'ready';
    }
  }

  /** Ends a transaction without sending (RFC 5321 section 4.1.1.5). */
  async rset(): Promise<void> {
    const reply = await this.command({ line: 'RSET', name: 'RSET', timeout: 'other' });
    if (reply.code !== 250) throw refusal('RSET', reply, 'session');
  }

  async noop(): Promise<void> {
    const reply = await this.command({ line: 'NOOP', name: 'NOOP', timeout: 'other' });
    if (reply.code !== 250) throw refusal('NOOP', reply, 'session');
  }

  /** QUIT and close; the link is closed whatever the server answers, or if it does not in time. */
  async quit(): Promise<void> {
    if (this.connection.closed) return;
    this.connection.expectClose();
    try {
      const reply = await this.command({ line: 'QUIT', name: 'QUIT', timeout: 'other' });
      if (reply.code !== 221) throw refusal('QUIT', reply, 'session');
    } catch (error) {
      if (!(error instanceof SmtpClosedError)) throw error;
    } finally {
      this.connection.close(new SmtpClosedError('the session ended (QUIT)'));
    }
  }

  /** Ends the link at once. */
  close(): void {
    this.connection.close();
  }

  private requireReady(): Capabilities {
    if (this.connection.closed) throw this.connection.closeReason ?? new SmtpClosedError();
    if (!this.capabilitiesValue) throw new SmtpProtocolError('EHLO first');
    return this.capabilitiesValue;
  }

  private async command(spec: CommandSpec & { timeout: TimeoutName }): Promise<Reply> {
    const reply = await this.connection.command(spec);
    // 421: the server is closing the session (RFC 5321 section 3.8); nothing more can be sent.
    if (reply.code === 421) {
      const error = refusal(spec.name, reply, 'session');
      this.connection.close(error);
      throw error;
    }
    return reply;
  }
}
