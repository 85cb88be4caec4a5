import type { Socket } from 'node:net';
import { TLSSocket } from 'node:tls';
import { apopDigestMatches, apopTimestamp, safeEqual } from './apop.js';
import { capabilityLines } from './capabilities.js';
import { binaryGarbageLine, overlongStatusLine } from './fault-responses.js';
import { LineLink } from '../line-server/feed-lines.js';
import { LineReader, LineTooLongError } from './line-reader.js';
import type { Maildrop } from './maildrops.js';
import { frameLines } from './multiline.js';
import { OutputQueue } from './output-queue.js';
import type { ResolvedFeatures } from './resolved-options.js';
import { Responder, type Continue } from './responder.js';
import { runSasl, type SaslOutcome } from './sasl.js';
import { totalSize, Transaction } from './transaction.js';
import type {
  DropAfterCommandFault,
  Pop3CommandContext,
  Pop3Faults,
  Pop3Quirks,
  Pop3State,
  SaslMechanism,
} from './types.js';

/** Commands are at most 255 bytes (RFC 2449), but SASL responses such as XOAUTH2 tokens are longer. */
const MAX_LINE_BYTES = 16 * 1024;

export interface SessionEnvironment {
  connection: number;
  maildrops: ReadonlyMap<string, Maildrop>;
  features: ResolvedFeatures;
  faults: Pop3Faults;
  quirks: Pop3Quirks;
  tls: { key: string; cert: string } | undefined;
  onCommand: ((ctx: Pop3CommandContext) => boolean | void) | undefined;
  logCommand(line: string): void;
  /** Counts the command server-wide and returns the drop fault when this occurrence must drop. */
  dropFor(command: string): DropAfterCommandFault | undefined;
  /** Called whenever the session's socket changes (STLS), so the server can destroy it on close. */
  trackSocket(socket: Socket): void;
}

/** One POP3 connection: reads commands line by line and answers them in order (RFC 1939). */
export class Pop3Session {
  private state: Pop3State = 'AUTHORIZATION';
  private readonly reader = new LineReader(MAX_LINE_BYTES);
  private readonly out: OutputQueue;
  private readonly closed: Promise<void>;
  private readonly timestamp: string | undefined;
  private tlsActive: boolean;
  private pendingUser: string | undefined;
  private readonly reply: Responder;
  private transaction: Transaction | undefined;
  private readonly link: LineLink;

  constructor(
    socket: Socket,
    private readonly env: SessionEnvironment,
  ) {
    this.tlsActive = socket instanceof TLSSocket;
    this.out = new OutputQueue(socket, env.faults.bytesPerSecond);
    this.reply = new Responder(this.out, env.features, env.quirks);
    const greeting = env.quirks.greeting;
    this.timestamp = greeting
      ? greeting.apopTimestamp
      : env.features.apop
        ? apopTimestamp(env.connection)
        : undefined;
    this.closed = new Promise((resolve) => socket.once('close', () => resolve()));
    this.link = new LineLink(socket, this.reader, this.out, env);
  }

  async run(): Promise<void> {
    try {
      if (await this.greet()) {
        while (true) {
          const line = await this.reader.next();
          if (line === null || !(await this.handleLine(line.toString('utf8')))) break;
          await this.out.idle();
        }
      }
    } catch (error) {
      if (error instanceof LineTooLongError) await this.reply.write('-ERR line too long\r\n');
      else throw error;
    } finally {
      await this.out.idle();
      this.transaction?.maildrop.unlock(this.env.connection);
      const socket = this.link.socket;
      if (!socket.destroyed) socket.end(() => socket.destroy());
    }
  }

  private async greet(): Promise<Continue> {
    const fault = this.env.faults.greeting;
    if (fault === 'err') {
      await this.reply.write('-ERR [SYS/TEMP] webpop-testkit is temporarily unavailable\r\n');
      return false;
    }
    const greeting = this.env.quirks.greeting;
    const stamp = this.timestamp ? ` ${this.timestamp}` : '';
    if (greeting) await this.reply.write(Buffer.from(`+OK ${greeting.text}${this.reply.eol}`, 'latin1'));
    else await this.reply.write(`+OK webpop-testkit POP3 server ready${stamp}\r\n`);
    return fault !== 'close';
  }

  private async handleLine(line: string): Promise<Continue> {
    const space = line.indexOf(' ');
    const command = (space === -1 ? line : line.slice(0, space)).toUpperCase();
    const rest = space === -1 ? '' : line.slice(space + 1);
    // PASS takes the rest of the line: passwords may contain spaces (RFC 1939 §7).
    const args = command === 'PASS' ? [rest] : rest.split(' ').filter((arg) => arg !== '');
    this.env.logCommand(maskSecrets(command, args, line));

    if (this.env.onCommand && this.runHook(command, args)) return !this.link.socket.destroyed;

    const faults = this.env.faults;
    if (faults.stallOn?.toUpperCase() === command) {
      await this.closed;
      return false;
    }
    const drop = this.env.dropFor(command);
    if (drop) {
      this.out.destroyAfter(drop.midResponseBytes ?? 0);
      if ((drop.midResponseBytes ?? 0) <= 0) return false;
    }
    if (faults.garbageOn?.command.toUpperCase() === command) {
      await this.reply.write(`${faults.garbageOn.line}\r\n`);
      return true;
    }
    if (faults.longLineOn?.command.toUpperCase() === command) {
      await this.reply.write(overlongStatusLine(faults.longLineOn.bytes));
      return true;
    }
    if (faults.binaryOn?.command.toUpperCase() === command) {
      await this.reply.write(binaryGarbageLine(faults.binaryOn.bytes ?? 256));
      return true;
    }
    return this.dispatch(command, args);
  }

  private runHook(command: string, args: string[]): boolean {
    const onCommand = this.env.onCommand;
    if (!onCommand) return false;
    return (
      onCommand({
        command,
        args,
        state: this.state,
        write: (data) => void this.out.write(data),
        destroy: () => this.link.socket.destroy(),
      }) === true
    );
  }

  private async dispatch(command: string, args: string[]): Promise<Continue> {
    if (command === 'CAPA') return this.capa(args);
    if (command === 'QUIT') return this.quit(args);
    if (command === 'HELP' && this.env.quirks.help) return this.help();
    if (this.state === 'AUTHORIZATION') {
      switch (command) {
        case 'USER':
          return this.user(args);
        case 'PASS':
          return this.pass(args);
        case 'APOP':
          return this.apop(args);
        case 'AUTH':
          return this.auth(args);
        case 'STLS':
          return this.stls(args);
      }
    } else if (this.transaction) {
      const answered = this.transaction.dispatch(command, args);
      if (answered) return answered;
    }
    if (KNOWN_COMMANDS.has(command))
      return this.reply.err(`${command} is not valid in the ${this.state} state`);
    return this.reply.err('Unknown command');
  }

  /** The CAPA lines, less what the server leaves out of them (quirks.unlisted). */
  private capabilities(stlsAvailable: boolean): string[] {
    const { always = [], beforeLogin = [] } = this.env.quirks.unlisted ?? {};
    const hidden = new Set([...always, ...(this.state === 'AUTHORIZATION' ? beforeLogin : [])]);
    return capabilityLines(this.env.features, stlsAvailable).filter(
      (line) => !hidden.has(line.split(' ')[0]!.toUpperCase()),
    );
  }

  // --- AUTHORIZATION ---------------------------------------------------------------------------

  private async capa(args: string[]): Promise<Continue> {
    if (!this.env.features.capa) return this.reply.err('Unknown command');
    if (args.length > 0) return this.reply.err('CAPA takes no arguments');
    const stlsAvailable = this.env.tls !== undefined && !this.tlsActive && this.state === 'AUTHORIZATION';
    return this.reply.multiline(
      'Capability list follows',
      frameLines(this.capabilities(stlsAvailable), this.reply.lineEnding),
    );
  }

  private async help(): Promise<Continue> {
    const commands = [...KNOWN_COMMANDS, 'CAPA', 'QUIT', 'HELP'];
    if (this.env.quirks.help === 'single') return this.reply.ok(`Commands: ${commands.join(' ')}`);
    return this.reply.multiline('Help follows', frameLines(commands, this.reply.lineEnding));
  }

  private async user(args: string[]): Promise<Continue> {
    if (!this.env.features.user) return this.reply.err('USER/PASS is disabled');
    if (args.length !== 1) return this.reply.err('USER takes exactly one argument');
    this.pendingUser = args[0];
    return this.reply.ok('Send PASS');
  }

  private async pass(args: string[]): Promise<Continue> {
    if (!this.env.features.user) return this.reply.err('USER/PASS is disabled');
    const username = this.pendingUser;
    this.pendingUser = undefined;
    if (username === undefined) return this.reply.err('Send USER first');
    const password = args[0] ?? '';
    const expected = this.env.maildrops.get(username)?.password;
    return this.finishLogin(username, expected !== undefined && safeEqual(expected, password));
  }

  private async apop(args: string[]): Promise<Continue> {
    if (!this.timestamp) return this.reply.err('APOP is disabled');
    const [username, digest] = args;
    if (
      args.length !== 2 ||
      username === undefined ||
      digest === undefined ||
      !/^[0-9a-fA-F]{32}$/.test(digest)
    ) {
      return this.reply.err('APOP expects a name and a 32-digit hex digest');
    }
    const password = this.env.quirks.noApopSecret?.includes(username)
      ? undefined
      : this.env.maildrops.get(username)?.password;
    return this.finishLogin(
      username,
      password !== undefined && apopDigestMatches(this.timestamp, password, digest),
    );
  }

  private async auth(args: string[]): Promise<Continue> {
    const enabled = this.env.features.sasl;
    if (enabled.length === 0) return this.reply.err('AUTH is disabled');
    if (args.length === 0)
      return this.reply.multiline('Supported mechanisms follow', frameLines(enabled, this.reply.lineEnding));
    if (args.length > 2) return this.reply.err('AUTH takes a mechanism and an optional initial response');
    const mechanism = enabled.find((name) => name === args[0]?.toUpperCase());
    if (!mechanism) return this.reply.err('Unsupported authentication mechanism');

    let initialResponse = args[1];
    const takesInitialResponse = this.env.quirks.saslInitialResponse ?? 'accept';
    if (initialResponse !== undefined && takesInitialResponse === 'refuse') {
      return this.reply.err('Initial responses are not supported');
    }
    if (takesInitialResponse === 'challenge') initialResponse = undefined;
    const outcome = await this.saslExchange(mechanism, initialResponse);
    if (outcome.kind === 'success' && this.env.quirks.brokenSasl?.includes(mechanism)) {
      return this.finishLogin('', false);
    }
    switch (outcome.kind) {
      case 'success':
        return this.finishLogin(outcome.username, true);
      case 'failure':
        return this.finishLogin('', false);
      case 'cancelled':
        return this.reply.err('Authentication cancelled');
      case 'malformed':
        return this.reply.err(`Authentication failed: ${outcome.reason}`);
      case 'disconnected':
        return false;
    }
  }

  private saslExchange(mechanism: SaslMechanism, initialResponse: string | undefined): Promise<SaslOutcome> {
    return runSasl(mechanism, initialResponse, {
      challenge: async (challenge) => {
        await this.reply.write(challenge === '' ? '+ \r\n' : `+ ${challenge}\r\n`);
        const line = await this.reader.next();
        return line === null ? null : line.toString('utf8');
      },
      passwordOf: (username) => this.env.maildrops.get(username)?.password,
    });
  }

  private async finishLogin(username: string, credentialsValid: boolean): Promise<Continue> {
    const loginError = this.env.faults.loginError;
    if (loginError) {
      await this.reply.write(`-ERR [${loginError}] ${LOGIN_ERROR_TEXT[loginError]}\r\n`);
      return true;
    }
    const maildrop = credentialsValid ? this.env.maildrops.get(username) : undefined;
    if (!maildrop) return this.reply.err('Authentication failed', 'AUTH');
    if (this.env.features.lockMailbox && !maildrop.tryLock(this.env.connection)) {
      return this.reply.err('Mailbox is locked by another session', 'IN-USE');
    }
    const transaction = new Transaction(maildrop, this.reply, this.env);
    this.transaction = transaction;
    this.state = 'TRANSACTION';
    const { messages } = transaction;
    return this.reply.ok(`Logged in, ${messages.length} messages (${totalSize(messages)} octets)`);
  }

  private async stls(args: string[]): Promise<Continue> {
    const tls = this.env.tls;
    if (!tls) return this.reply.err('STLS is not available');
    if (this.tlsActive) return this.reply.err('TLS is already active');
    if (args.length > 0) return this.reply.err('STLS takes no arguments');
    await this.reply.write('+OK Begin TLS negotiation\r\n');
    const injected = this.env.faults.injectAfterStls;
    if (injected !== undefined) await this.out.write(injected);
    await this.out.flushed();
    // Anything pipelined after STLS arrived in plaintext and must not be executed (RFC 2595 §3.1).
    this.reader.discardBuffered();

    this.link.startTls(tls);
    this.tlsActive = true;
    this.pendingUser = undefined;
    return true;
  }

  private async quit(args: string[]): Promise<Continue> {
    if (args.length > 0) return this.reply.err('QUIT takes no arguments');
    if (this.state === 'TRANSACTION' && this.transaction) {
      this.state = 'UPDATE';
      const left = this.transaction.commit();
      if (this.env.quirks.quitCloses) return false;
      await this.reply.ok(`webpop-testkit signing off (${left} messages left)`);
      return false;
    }
    await this.reply.ok('webpop-testkit signing off');
    return false;
  }
}

const KNOWN_COMMANDS = new Set([
  ...['USER', 'PASS', 'APOP', 'AUTH', 'STLS'],
  ...['STAT', 'LIST', 'UIDL', 'TOP', 'RETR', 'DELE', 'RSET', 'NOOP'],
]);

const LOGIN_ERROR_TEXT: Record<NonNullable<Pop3Faults['loginError']>, string> = {
  'IN-USE': 'Mailbox is in use by another session',
  'LOGIN-DELAY': 'Logged in too recently, try again later',
  'SYS/TEMP': 'Temporary system failure, try again later',
  'SYS/PERM': 'Permanent system failure',
};

function maskSecrets(command: string, args: string[], line: string): string {
  if (command === 'PASS') return 'PASS ***';
  if (command === 'AUTH' && args.length > 1) return `AUTH ${args[0]} ***`;
  if (command === 'APOP' && args.length > 1) return `APOP ${args[0]} ***`;
  return line;
}
