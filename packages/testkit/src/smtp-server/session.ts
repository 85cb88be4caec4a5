import type { Socket } from 'node:net';
import { TLSSocket } from 'node:tls';
import { LineLink } from '../line-server/feed-lines.js';
import { LineReader, LineTooLongError } from '../pop3-server/line-reader.js';
import { OutputQueue } from '../pop3-server/output-queue.js';
import { authenticate } from './sasl.js';
import type { ReceivedMessage, SmtpFaults, SmtpFeatures, SmtpServerOptions, SmtpStage } from './types.js';

/** Longest line taken (a message line may be long; a command line is far shorter). */
const MAX_LINE_BYTES = 1024 * 1024;

export interface SmtpSessionEnvironment {
  readonly connection: number;
  readonly options: SmtpServerOptions;
  readonly features: Required<Omit<SmtpFeatures, 'size'>> & { readonly size: number | undefined };
  /** Shared with every session, so setFaults() reaches open sessions too. */
  readonly faults: () => SmtpFaults;
  readonly received: (message: ReceivedMessage) => void;
  readonly logLine: (line: string) => void;
  readonly logFlight: (lines: readonly string[]) => void;
  readonly trackSocket: (socket: Socket) => void;
}

interface Transaction {
  from: string;
  mailParameters: string[];
  to: string[];
  rcptParameters: string[][];
}

/** One SMTP session of the scriptable server: a loop over command lines, and DATA. */
export class SmtpSession {
  private readonly reader = new LineReader(MAX_LINE_BYTES);
  private readonly out: OutputQueue;
  private tlsActive: boolean;
  private greeted = false;
  private user: string | undefined;
  private transaction: Transaction | undefined;
  private readonly link: LineLink;
  private flight: string[] = [];

  constructor(
    socket: Socket,
    private readonly env: SmtpSessionEnvironment,
  ) {
    this.tlsActive = socket instanceof TLSSocket;
    this.out = new OutputQueue(socket, undefined);
    this.link = new LineLink(socket, this.reader, this.out, env);
  }

  async run(): Promise<void> {
    try {
      if (await this.reply('greeting', '220 webpop-testkit ESMTP ready')) {
        for (;;) {
          const waiting = this.reader.lineWaiting;
          const line = await this.reader.next();
          if (line === null) break;
          const text = line.toString('utf8');
          this.noteFlight(text, waiting);
          if (!(await this.handle(text))) break;
          await this.out.idle();
        }
      }
    } catch (error) {
      if (error instanceof LineTooLongError) await this.out.write('500 5.5.2 line too long\r\n');
      else throw error;
    } finally {
      this.endFlight();
      await this.out.idle();
      const socket = this.link.socket;
      if (!socket.destroyed) socket.end(() => socket.destroy());
    }
  }

  /** Sends the stage's reply, or the fault's instead; false when the stage stalls (nothing more is read). */
  private async reply(stage: SmtpStage, normal: string): Promise<boolean> {
    const faults = this.env.faults();
    if (faults.stallAt === stage) {
      await new Promise((resolve) => this.link.socket.once('close', resolve));
      return false;
    }
    const text = faults.replyAt?.[stage] ?? normal;
    await this.out.write(`${text.replaceAll('\n', '\r\n')}\r\n`);
    return !text.startsWith('421');
  }

  private async handle(line: string): Promise<boolean> {
    const [verb = '', ...rest] = line.split(' ');
    const command = verb.toUpperCase();
    const args = rest.join(' ');
    this.env.logLine(command === 'AUTH' ? `AUTH ${rest[0] ?? ''}${rest.length > 1 ? ' ***' : ''}` : line);
    switch (command) {
      case 'EHLO':
        if (!this.env.features.ehlo) return this.write('502 5.5.1 EHLO not implemented');
        this.greeted = true;
        this.transaction = undefined;
        return this.reply('ehlo', this.ehloReply(args));
      case 'HELO':
        this.greeted = true;
        this.transaction = undefined;
        return this.reply('ehlo', '250 webpop-testkit');
      case 'STARTTLS':
        return this.starttls();
      case 'AUTH':
        return this.auth(rest[0]?.toUpperCase() ?? '', rest[1]);
      case 'MAIL':
        return this.mail(args);
      case 'RCPT':
        return this.rcpt(args);
      case 'DATA':
        return this.data();
      case 'RSET':
        this.transaction = undefined;
        return this.reply('rset', '250 2.0.0 reset');
      case 'NOOP':
        return this.reply('noop', '250 2.0.0 ok');
      case 'QUIT':
        await this.reply('quit', '221 2.0.0 bye');
        return false;
      default:
        return this.write('500 5.5.2 command not recognized');
    }
  }

  private ehloReply(name: string): string {
    const f = this.env.features;
    const offersAuth = this.env.options.accounts !== undefined && (this.tlsActive || f.authWithoutTls);
    const lines = [
      `webpop-testkit greets ${name}`,
      ...(f.pipelining ? ['PIPELINING'] : []),
      ...(f.size !== undefined ? [`SIZE ${f.size}`] : []),
      ...(f.eightBitMime ? ['8BITMIME'] : []),
      ...(f.smtpUtf8 ? ['SMTPUTF8'] : []),
      ...(f.dsn ? ['DSN'] : []),
      ...(f.enhancedStatusCodes ? ['ENHANCEDSTATUSCODES'] : []),
      ...(this.env.options.tls && !this.tlsActive ? ['STARTTLS'] : []),
      ...(offersAuth ? [`AUTH ${f.authMechanisms.join(' ')}`] : []),
    ];
    return lines.map((text, i) => `250${i === lines.length - 1 ? ' ' : '-'}${text}`).join('\n');
  }

  private async starttls(): Promise<boolean> {
    const tls = this.env.options.tls;
    if (!tls || this.tlsActive) return this.write('454 4.7.0 TLS not available');
    if (!(await this.reply('starttls', '220 2.0.0 ready to start TLS'))) return false;
    const injected = this.env.faults().injectAfterStarttls;
    if (injected !== undefined) await this.out.write(injected);
    await this.out.flushed();
    // Anything pipelined after STARTTLS arrived in plaintext and must not be executed (RFC 3207 section 4.2).
    this.reader.discardBuffered();
    this.link.startTls(tls);
    this.tlsActive = true;
    this.greeted = false;
    this.user = undefined;
    return true;
  }

  private async auth(mechanism: string, initial: string | undefined): Promise<boolean> {
    const accounts = this.env.options.accounts;
    if (!accounts || (!this.tlsActive && !this.env.features.authWithoutTls)) {
      return this.write('503 5.5.1 AUTH not available');
    }
    if (this.user) return this.write('503 5.5.1 already authenticated');
    if (!this.env.features.authMechanisms.includes(mechanism)) {
      return this.write('504 5.5.4 unrecognized authentication type');
    }
    const result = await authenticate(mechanism, initial, {
      accounts,
      accessTokens: this.env.options.accessTokens ?? {},
      connection: this.env.connection,
      challenge: async (text) => {
        await this.out.write(`334 ${text}\r\n`);
        const line = await this.reader.next();
        if (line === null) throw new Error('the client left during AUTH');
        this.env.logLine('***');
        return line.toString('utf8');
      },
    });
    if ('refused' in result) return this.write(result.refused);
    const ok = await this.reply('auth', '235 2.7.0 authenticated');
    if (!this.env.faults().replyAt?.auth) this.user = result.user;
    return ok;
  }

  private async mail(args: string): Promise<boolean> {
    if (!this.greeted) return this.write('503 5.5.1 EHLO first');
    if (this.env.options.accounts && !this.user) return this.write('530 5.7.0 authentication required');
    if (this.transaction) return this.write('503 5.5.1 nested MAIL command');
    const match = /^FROM:<([^>]*)>(.*)$/i.exec(args);
    if (!match) return this.write('501 5.5.4 syntax: MAIL FROM:<address>');
    const parameters = match[2]!.trim().split(/\s+/).filter(Boolean);
    const size = parameters.find((p) => /^SIZE=/i.test(p));
    const limit = this.env.features.size;
    if (size && limit && Number(size.slice(5)) > limit) {
      return this.write('552 5.3.4 message size exceeds fixed limit');
    }
    const faulty = this.env.faults().replyAt?.mail;
    const ok = await this.reply('mail', '250 2.1.0 sender ok');
    if (!faulty)
      this.transaction = { from: match[1]!, mailParameters: parameters, to: [], rcptParameters: [] };
    return ok;
  }

  private async rcpt(args: string): Promise<boolean> {
    if (!this.transaction) return this.write('503 5.5.1 need MAIL before RCPT');
    const match = /^TO:<([^>]+)>(.*)$/i.exec(args);
    if (!match) return this.write('501 5.5.4 syntax: RCPT TO:<address>');
    const refused = this.env.options.refuseRecipients?.[match[1]!];
    if (refused) return this.write(refused);
    const faulty = this.env.faults().replyAt?.rcpt;
    const ok = await this.reply('rcpt', '250 2.1.5 recipient ok');
    if (!faulty) {
      this.transaction.to.push(match[1]!);
      this.transaction.rcptParameters.push(match[2]!.trim().split(/\s+/).filter(Boolean));
    }
    return ok;
  }

  private async data(): Promise<boolean> {
    const transaction = this.transaction;
    if (!transaction) return this.write('503 5.5.1 need MAIL before DATA');
    if (transaction.to.length === 0) return this.write('554 5.5.1 no valid recipients');
    const faults = this.env.faults();
    if (faults.replyAt?.data) return this.reply('data', '354 unused');
    if (!(await this.reply('data', '354 end data with <CR><LF>.<CR><LF>'))) return false;
    this.endFlight();
    const lines: Buffer[] = [];
    let received = 0;
    for (;;) {
      const line = await this.reader.next();
      if (line === null) return false;
      if (line.length === 1 && line[0] === 0x2e) break;
      const unstuffed = line[0] === 0x2e ? line.subarray(1) : line;
      lines.push(unstuffed, Buffer.from('\r\n'));
      received += line.length + 2;
      if (faults.dropMidData && received >= faults.dropMidData.afterBytes) {
        this.link.socket.destroy();
        return false;
      }
      if (faults.stallMidData && received >= faults.stallMidData.afterBytes) {
        const socket = this.link.socket;
        socket.pause();
        await new Promise((resolve) => socket.once('close', resolve));
        return false;
      }
    }
    this.transaction = undefined;
    const take = (): void =>
      this.env.received({
        connection: this.env.connection,
        from: transaction.from,
        mailParameters: transaction.mailParameters,
        to: transaction.to,
        rcptParameters: transaction.rcptParameters,
        data: Buffer.concat(lines),
        user: this.user,
      });
    const normal = `250 2.0.0 Ok: queued as T${this.env.connection}`;
    const cut = this.env.faults().cutFinalReply;
    if (cut) {
      take();
      await this.cutReply(`${normal}\r\n`, cut.replyBytes, cut.then);
      return false;
    }
    const faulty = this.env.faults().replyAt?.message;
    const ok = await this.reply('message', normal);
    if (!faulty) take();
    return ok;
  }

  /** The first `bytes` bytes of a reply, then a drop or silence until the client leaves. */
  private async cutReply(reply: string, bytes: number, then: 'drop' | 'stall'): Promise<void> {
    const socket = this.link.socket;
    if (bytes > 0) await this.out.write(reply.slice(0, bytes));
    await this.out.flushed();
    if (then === 'drop') socket.destroy();
    else if (!socket.destroyed) await new Promise((resolve) => socket.once('close', resolve));
  }

  private async write(text: string): Promise<boolean> {
    await this.out.write(`${text}\r\n`);
    return true;
  }

  /** Groups command lines the client sent before waiting for a reply (a pipelined flight). */
  private noteFlight(line: string, arrivedEarly: boolean): void {
    if (!arrivedEarly) this.endFlight();
    this.flight.push(line.startsWith('AUTH') ? 'AUTH' : line);
  }

  private endFlight(): void {
    if (this.flight.length > 1) this.env.logFlight(this.flight);
    this.flight = [];
  }
}
