import type { Socket } from 'node:net';
import { TLSSocket } from 'node:tls';
import { apopDigestMatches, apopTimestamp, safeEqual } from './apop.js';
import { capabilityLines } from './capabilities.js';
import { binaryGarbageLine, overlongStatusLine } from './fault-responses.js';
import { LineReader, LineTooLongError } from './line-reader.js';
import type { Maildrop } from './maildrops.js';
import { frameLines, frameMultiline, topOfMessage } from './multiline.js';
import { OutputQueue } from './output-queue.js';
import type { ResolvedFeatures } from './resolved-options.js';
import { runSasl, type SaslOutcome } from './sasl.js';
import type {
  DropAfterCommandFault,
  Pop3CommandContext,
  Pop3Faults,
  Pop3Quirks,
  Pop3State,
  SaslMechanism,
  StoredMessage,
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

type Continue = boolean;

/** One POP3 connection: reads commands line by line and answers them in order (RFC 1939). */
export class Pop3Session {
  private state: Pop3State = 'AUTHORIZATION';
  private readonly reader = new LineReader(MAX_LINE_BYTES);
  private readonly out: OutputQueue;
  private readonly closed: Promise<void>;
  private readonly timestamp: string | undefined;
  private tlsActive: boolean;
  private pendingUser: string | undefined;
  private maildrop: Maildrop | undefined;
  /** The maildrop as it was at login: message numbers stay fixed for the session. */
  private messages: StoredMessage[] = [];
  private readonly deleted = new Set<StoredMessage>();
  private detachCurrent: () => void;

  constructor(
    private socket: Socket,
    private readonly env: SessionEnvironment,
  ) {
    this.tlsActive = socket instanceof TLSSocket;
    this.out = new OutputQueue(socket, env.faults.bytesPerSecond);
    const greeting = env.quirks.greeting;
    this.timestamp = greeting
      ? greeting.apopTimestamp
      : env.features.apop
        ? apopTimestamp(env.connection)
        : undefined;
    this.closed = new Promise((resolve) => socket.once('close', () => resolve()));
    this.detachCurrent = this.attach(socket);
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
      if (error instanceof LineTooLongError) await this.write('-ERR line too long\r\n');
      else throw error;
    } finally {
      await this.out.idle();
      this.maildrop?.unlock(this.env.connection);
      const socket = this.socket;
      if (!socket.destroyed) socket.end(() => socket.destroy());
    }
  }

  /** Feeds the socket into the line reader; returns a function that stops reading from it. */
  private attach(socket: Socket): () => void {
    this.env.trackSocket(socket);
    const onData = (chunk: Buffer): void => this.reader.push(chunk);
    const onEnd = (): void => this.reader.end();
    socket.on('data', onData);
    socket.on('end', onEnd);
    socket.on('close', onEnd);
    socket.on('error', onEnd);
    return () => {
      socket.off('data', onData);
      socket.off('end', onEnd);
      socket.off('close', onEnd);
    };
  }

  private async greet(): Promise<Continue> {
    const fault = this.env.faults.greeting;
    if (fault === 'err') {
      await this.write('-ERR [SYS/TEMP] webpop-testkit is temporarily unavailable\r\n');
      return false;
    }
    const greeting = this.env.quirks.greeting;
    const stamp = this.timestamp ? ` ${this.timestamp}` : '';
    if (greeting) await this.write(Buffer.from(`+OK ${greeting.text}${this.eol}`, 'latin1'));
    else await this.write(`+OK webpop-testkit POP3 server ready${stamp}\r\n`);
    return fault !== 'close';
  }

  private async handleLine(line: string): Promise<Continue> {
    const space = line.indexOf(' ');
    const command = (space === -1 ? line : line.slice(0, space)).toUpperCase();
    const rest = space === -1 ? '' : line.slice(space + 1);
    // PASS takes the rest of the line: passwords may contain spaces (RFC 1939 §7).
    const args = command === 'PASS' ? [rest] : rest.split(' ').filter((arg) => arg !== '');
    this.env.logCommand(maskSecrets(command, args, line));

    if (this.env.onCommand && this.runHook(command, args)) return !this.socket.destroyed;

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
      await this.write(`${faults.garbageOn.line}\r\n`);
      return true;
    }
    if (faults.longLineOn?.command.toUpperCase() === command) {
      await this.write(overlongStatusLine(faults.longLineOn.bytes));
      return true;
    }
    if (faults.binaryOn?.command.toUpperCase() === command) {
      await this.write(binaryGarbageLine(faults.binaryOn.bytes ?? 256));
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
        destroy: () => this.socket.destroy(),
      }) === true
    );
  }

  private async dispatch(command: string, args: string[]): Promise<Continue> {
    if (command === 'CAPA') return this.capa(args);
    if (command === 'QUIT') return this.quit(args);
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
    } else {
      switch (command) {
        case 'STAT':
          return this.stat(args);
        case 'LIST':
          return this.list(args);
        case 'UIDL':
          return this.uidl(args);
        case 'TOP':
          return this.top(args);
        case 'RETR':
          return this.retr(args);
        case 'DELE':
          return this.dele(args);
        case 'RSET':
          return this.rset(args);
        case 'NOOP':
          return args.length > 0 ? this.err('NOOP takes no arguments') : this.ok('NOOP');
      }
    }
    if (KNOWN_COMMANDS.has(command)) return this.err(`${command} is not valid in the ${this.state} state`);
    return this.err('Unknown command');
  }

  // --- responses -------------------------------------------------------------------------------

  /** Queues output; a server whose lines end in a bare LF writes LF where the code says CRLF. */
  private write(data: Uint8Array | string): Promise<void> {
    if (typeof data === 'string' && this.lineEnding === 'lf')
      return this.out.write(data.replaceAll('\r\n', '\n'));
    return this.out.write(data);
  }

  private get lineEnding(): 'crlf' | 'lf' {
    return this.env.quirks.lineEnding ?? 'crlf';
  }

  private get eol(): string {
    return this.lineEnding === 'lf' ? '\n' : '\r\n';
  }

  /** The CAPA lines, less what the server leaves out of them (quirks.unlisted). */
  private capabilities(stlsAvailable: boolean): string[] {
    const { always = [], beforeLogin = [] } = this.env.quirks.unlisted ?? {};
    const hidden = new Set([...always, ...(this.state === 'AUTHORIZATION' ? beforeLogin : [])]);
    return capabilityLines(this.env.features, stlsAvailable).filter(
      (line) => !hidden.has(line.split(' ')[0]!.toUpperCase()),
    );
  }

  private async ok(text: string): Promise<Continue> {
    await this.write(`+OK ${text}\r\n`);
    return true;
  }

  private async err(text: string, code?: string): Promise<Continue> {
    const withCode = code && this.env.features.respCodes ? `[${code}] ${text}` : text;
    await this.write(`-ERR ${withCode}\r\n`);
    return true;
  }

  private async multiline(status: string, body: Buffer): Promise<Continue> {
    await this.write(`+OK ${status}\r\n`);
    await this.write(body);
    return true;
  }

  // --- AUTHORIZATION ---------------------------------------------------------------------------

  private async capa(args: string[]): Promise<Continue> {
    if (!this.env.features.capa) return this.err('Unknown command');
    if (args.length > 0) return this.err('CAPA takes no arguments');
    const stlsAvailable = this.env.tls !== undefined && !this.tlsActive && this.state === 'AUTHORIZATION';
    return this.multiline(
      'Capability list follows',
      frameLines(this.capabilities(stlsAvailable), this.lineEnding),
    );
  }

  private async user(args: string[]): Promise<Continue> {
    if (!this.env.features.user) return this.err('USER/PASS is disabled');
    if (args.length !== 1) return this.err('USER takes exactly one argument');
    this.pendingUser = args[0];
    return this.ok('Send PASS');
  }

  private async pass(args: string[]): Promise<Continue> {
    if (!this.env.features.user) return this.err('USER/PASS is disabled');
    const username = this.pendingUser;
    this.pendingUser = undefined;
    if (username === undefined) return this.err('Send USER first');
    const password = args[0] ?? '';
    const expected = this.env.maildrops.get(username)?.password;
    return this.finishLogin(username, expected !== undefined && safeEqual(expected, password));
  }

  private async apop(args: string[]): Promise<Continue> {
    if (!this.timestamp) return this.err('APOP is disabled');
    const [username, digest] = args;
    if (
      args.length !== 2 ||
      username === undefined ||
      digest === undefined ||
      !/^[0-9a-fA-F]{32}$/.test(digest)
    ) {
      return this.err('APOP expects a name and a 32-digit hex digest');
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
    if (enabled.length === 0) return this.err('AUTH is disabled');
    if (args.length === 0)
      return this.multiline('Supported mechanisms follow', frameLines(enabled, this.lineEnding));
    if (args.length > 2) return this.err('AUTH takes a mechanism and an optional initial response');
    const mechanism = enabled.find((name) => name === args[0]?.toUpperCase());
    if (!mechanism) return this.err('Unsupported authentication mechanism');

    let initialResponse = args[1];
    const takesInitialResponse = this.env.quirks.saslInitialResponse ?? 'accept';
    if (initialResponse !== undefined && takesInitialResponse === 'refuse') {
      return this.err('Initial responses are not supported');
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
        return this.err('Authentication cancelled');
      case 'malformed':
        return this.err(`Authentication failed: ${outcome.reason}`);
      case 'disconnected':
        return false;
    }
  }

  private saslExchange(mechanism: SaslMechanism, initialResponse: string | undefined): Promise<SaslOutcome> {
    return runSasl(mechanism, initialResponse, {
      challenge: async (challenge) => {
        await this.write(challenge === '' ? '+ \r\n' : `+ ${challenge}\r\n`);
        const line = await this.reader.next();
        return line === null ? null : line.toString('utf8');
      },
      passwordOf: (username) => this.env.maildrops.get(username)?.password,
    });
  }

  private async finishLogin(username: string, credentialsValid: boolean): Promise<Continue> {
    const loginError = this.env.faults.loginError;
    if (loginError) {
      await this.write(`-ERR [${loginError}] ${LOGIN_ERROR_TEXT[loginError]}\r\n`);
      return true;
    }
    const maildrop = credentialsValid ? this.env.maildrops.get(username) : undefined;
    if (!maildrop) return this.err('Authentication failed', 'AUTH');
    if (this.env.features.lockMailbox && !maildrop.tryLock(this.env.connection)) {
      return this.err('Mailbox is locked by another session', 'IN-USE');
    }
    this.maildrop = maildrop;
    this.messages = [...maildrop.messages];
    this.state = 'TRANSACTION';
    return this.ok(`Logged in, ${this.messages.length} messages (${totalSize(this.messages)} octets)`);
  }

  private async stls(args: string[]): Promise<Continue> {
    const tls = this.env.tls;
    if (!tls) return this.err('STLS is not available');
    if (this.tlsActive) return this.err('TLS is already active');
    if (args.length > 0) return this.err('STLS takes no arguments');
    await this.write('+OK Begin TLS negotiation\r\n');
    const injected = this.env.faults.injectAfterStls;
    if (injected !== undefined) await this.out.write(injected);
    await this.out.flushed();
    // Anything pipelined after STLS arrived in plaintext and must not be executed (RFC 2595 §3.1).
    this.reader.discardBuffered();

    const plain = this.socket;
    this.detachCurrent();
    const secure = new TLSSocket(plain, { isServer: true, key: tls.key, cert: tls.cert });
    this.socket = secure;
    this.out.setSocket(secure);
    this.detachCurrent = this.attach(secure);
    secure.once('close', () => plain.destroy());
    this.tlsActive = true;
    this.pendingUser = undefined;
    return true;
  }

  // --- TRANSACTION -----------------------------------------------------------------------------

  private visibleMessages(): Array<{ number: number; message: StoredMessage }> {
    return this.messages
      .map((message, index) => ({ number: index + 1, message }))
      .filter(({ message }) => !this.deleted.has(message));
  }

  /** The message for a number argument, or the -ERR text explaining why there is none. */
  private messageAt(arg: string | undefined): StoredMessage | string {
    if (arg === undefined || !/^[0-9]{1,9}$/.test(arg)) return 'Invalid message number';
    const message = this.messages[Number(arg) - 1];
    if (!message) return 'No such message';
    if (this.deleted.has(message)) return `Message ${Number(arg)} is deleted`;
    return message;
  }

  private async stat(args: string[]): Promise<Continue> {
    if (args.length > 0) return this.err('STAT takes no arguments');
    const visible = this.visibleMessages().map(({ message }) => message);
    return this.ok(`${visible.length} ${totalSize(visible)}`);
  }

  private async list(args: string[]): Promise<Continue> {
    const sizes = this.env.quirks.listSizes ?? {};
    return this.listing(args, 'LIST', (message, number) => String(sizes[number] ?? message.bytes.length));
  }

  private async uidl(args: string[]): Promise<Continue> {
    if (!this.env.features.uidl) return this.err('Unknown command');
    const uids = this.env.quirks.uidl ?? {};
    return this.listing(args, 'UIDL', (message, number) =>
      uids[number] === undefined ? message.uid : uids[number],
    );
  }

  private async listing(
    args: string[],
    command: string,
    describe: (message: StoredMessage, number: number) => string | null,
  ): Promise<Continue> {
    if (args.length > 1) return this.err(`${command} takes at most one argument`);
    if (args.length === 1) {
      const message = this.messageAt(args[0]);
      if (typeof message === 'string') return this.err(message);
      const described = describe(message, Number(args[0]));
      if (described === null) return this.err(`No ${command} entry for message ${Number(args[0])}`);
      return this.ok(`${Number(args[0])} ${described}`);
    }
    const visible = this.visibleMessages();
    const lines = visible.flatMap(({ number, message }) => {
      const described = describe(message, number);
      return described === null ? [] : [`${number} ${described}`];
    });
    const status =
      command === 'LIST'
        ? `${visible.length} messages (${totalSize(visible.map(({ message }) => message))} octets)`
        : 'Unique-ID listing follows';
    return this.multiline(status, frameLines(lines, this.lineEnding));
  }

  private async top(args: string[]): Promise<Continue> {
    if (!this.env.features.top) return this.err('Unknown command');
    if (this.env.faults.errOnTop) return this.err('TOP failed');
    if (args.length !== 2 || !/^[0-9]{1,9}$/.test(args[1] ?? '')) {
      return this.err('TOP expects a message number and a line count');
    }
    const message = this.messageAt(args[0]);
    if (typeof message === 'string') return this.err(message);
    return this.multiline(
      'Top of message follows',
      frameMultiline(topOfMessage(message.bytes, Number(args[1])), this.lineEnding),
    );
  }

  private async retr(args: string[]): Promise<Continue> {
    if (args.length !== 1) return this.err('RETR takes one argument');
    const message = this.messageAt(args[0]);
    if (typeof message === 'string') return this.err(message);
    return this.multiline(`${message.bytes.length} octets`, frameMultiline(message.bytes, this.lineEnding));
  }

  private async dele(args: string[]): Promise<Continue> {
    if (args.length !== 1) return this.err('DELE takes one argument');
    const message = this.messageAt(args[0]);
    if (typeof message === 'string') return this.err(message);
    this.deleted.add(message);
    return this.ok(`Message ${Number(args[0])} deleted`);
  }

  private async rset(args: string[]): Promise<Continue> {
    if (args.length > 0) return this.err('RSET takes no arguments');
    this.deleted.clear();
    return this.ok(`Maildrop has ${this.messages.length} messages (${totalSize(this.messages)} octets)`);
  }

  private async quit(args: string[]): Promise<Continue> {
    if (args.length > 0) return this.err('QUIT takes no arguments');
    if (this.state === 'TRANSACTION' && this.maildrop) {
      this.state = 'UPDATE';
      this.maildrop.expunge(this.deleted);
      this.maildrop.unlock(this.env.connection);
      if (this.env.quirks.quitCloses) return false;
      const left = this.maildrop.messages.length;
      await this.ok(`webpop-testkit signing off (${left} messages left)`);
      return false;
    }
    await this.ok('webpop-testkit signing off');
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

function totalSize(messages: readonly StoredMessage[]): number {
  return messages.reduce((sum, message) => sum + message.bytes.length, 0);
}

function maskSecrets(command: string, args: string[], line: string): string {
  if (command === 'PASS') return 'PASS ***';
  if (command === 'AUTH' && args.length > 1) return `AUTH ${args[0]} ***`;
  if (command === 'APOP' && args.length > 1) return `APOP ${args[0]} ***`;
  return line;
}
