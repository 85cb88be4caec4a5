import { login } from './auth/login.js';
import type { AuthChannel } from './auth/mechanisms.js';
import type { Credentials, LoginMethod } from './auth/methods.js';
import { Capabilities } from './capabilities.js';
import type {
  ClientOptions,
  Greeting,
  MessageEntry,
  QuitOptions,
  SessionState,
  TopOptions,
  TransferOptions,
} from './client-types.js';
import { Pop3Connection, type CommandSpec, type Reply } from './connection.js';
import {
  Pop3ClosedError,
  Pop3IntegrityError,
  Pop3ServerError,
  Pop3TimeoutError,
  Pop3UnsupportedError,
} from './errors.js';
import {
  bodyLines,
  parseSizeLine,
  parseStat,
  parseUidLine,
  sizeAgreesWithListing,
  topOf,
  type MessageSize,
  type MessageUid,
  type Stat,
} from './protocol/listings.js';
import { checkNumber } from './protocol/arguments.js';
import { apopTimestamp, type StatusLine } from './protocol/status-line.js';
import { parseConsoleCommand } from './console/console-command.js';
import { runConsoleCommand, type ConsoleOptions, type ConsoleOutcome } from './console/run-console.js';
import type { TlsInfo, Transport } from './transport.js';
import { fetchEach, keptStart, type FetchEachOptions, type FetchEachResult } from './fetch-each.js';
import { joinEntries } from './message-entries.js';
import { limits } from './limits.js';

export type {
  ClientOptions,
  Greeting,
  MessageEntry,
  QuitOptions,
  SessionState,
  TopOptions,
  TransferOptions,
} from './client-types.js';
export type { FetchEachOptions, FetchEachResult } from './fetch-each.js';

/**
 * A POP3 client over any Transport (RFC 1939, 2449, 2595, 5034). Commands may be called concurrently:
 * they are queued and, when the server allows PIPELINING, sent many at a time.
 */
export class Pop3Client {
  private capabilitiesValue: Capabilities | null | undefined;
  private capaAfterLogin: Promise<unknown> = Promise.resolve();
  private readonly sizes = new Map<number, number>();
  /** Undefined until known: from CAPA, or from the first TOP when the server has no CAPA. */
  private topSupported: boolean | undefined;
  private stateValue: SessionState = 'authorization';
  private loginMethodValue: LoginMethod | undefined;
  /** What the server lacks and how the client made do, in words for a user. */
  readonly notes: string[] = [];

  private constructor(
    private readonly connection: Pop3Connection,
    readonly greeting: Greeting,
  ) {}

  /** Reads the greeting; rejects with Pop3ServerError when the server greets with -ERR. */
  static async connect(transport: Transport, options: ClientOptions = {}): Promise<Pop3Client> {
    const connection = new Pop3Connection(transport, options);
    try {
      const reply = await connection.send({ line: undefined, name: 'greeting', kind: 'single' });
      const text = reply.status.text;
      connection.phase = 'login';
      return new Pop3Client(connection, { text, apopTimestamp: apopTimestamp(text) });
    } catch (error) {
      connection.close();
      throw error;
    }
  }

  get state(): SessionState {
    return this.connection.closed ? 'ended' : this.stateValue;
  }

  /** The server's capabilities: null when it has no CAPA, undefined before `capa()`. */
  get capabilities(): Capabilities | null | undefined {
    return this.capabilitiesValue;
  }

  get tls(): TlsInfo | null {
    return this.connection.tls;
  }

  get loginMethod(): LoginMethod | undefined {
    return this.loginMethodValue;
  }

  /** Why the session ended, once it has. */
  get closeReason(): Error | undefined {
    return this.connection.closeReason;
  }

  /** Milliseconds since anything went over the link; 0 while a command is queued or waits for its reply. */
  get idleMs(): number {
    return this.connection.idleMs;
  }

  /**
   * NOOP when the session has been idle for at least `afterIdleMs` (servers end idle sessions: RFC 1939
   * allows them to after 10 minutes); resolves to whether it was sent. Never while a command waits.
   */
  async keepalive(afterIdleMs: number): Promise<boolean> {
    const idle = this.connection.idleMs;
    if (this.state !== 'transaction' || idle === 0 || idle < afterIdleMs) return false;
    await this.noop();
    return true;
  }

  /**
   * CAPA; returns null (and notes it) when the server does not know the command. Its answer replaces
   * the one before (RFC 2449, section 5: capabilities may differ after login), notes included: a proxy
   * that lists TOP only after login has TOP.
   */
  capa(): Promise<Capabilities | null> {
    return this.askCapabilities(undefined);
  }

  /** CAPA; as a `step` of the login it is not held behind it (see login()). */
  private async askCapabilities(loginStep: 'step' | undefined): Promise<Capabilities | null> {
    try {
      const reply = await this.command({
        line: 'CAPA',
        name: 'CAPA',
        kind: 'multi',
        logBody: true,
        ...(loginStep ? { loginStep } : {}),
      });
      this.capabilitiesValue = new Capabilities(bodyLines(reply.body));
    } catch (error) {
      // Not the server's answer to CAPA (the link failed, or a refused login it waited behind): no news.
      if (!(error instanceof Pop3ServerError) || error.command !== 'CAPA') throw error;
      // A server that answered CAPA before login and refuses it after: what it said then still holds.
      if (this.stateValue === 'transaction' && this.capabilitiesValue) return this.capabilitiesValue;
      this.capabilitiesValue = null;
      this.note('The server has no CAPA command: capabilities are guessed.');
    }
    const capabilities = this.capabilitiesValue;
    this.connection.pipelining = capabilities?.pipelining ?? false;
    if (capabilities) this.topSupported = capabilities.has('TOP');
    if (this.topSupported === false) this.note(noTopNote);
    else this.retractNote(noTopNote);
    return capabilities;
  }

  /** STLS (RFC 2595): upgrades the link, then forgets the capabilities and asks for them again. */
  async stls(): Promise<TlsInfo> {
    if (this.connection.tls) throw new Pop3UnsupportedError('the connection is already encrypted');
    await this.command({ line: 'STLS', name: 'STLS', kind: 'single', barrier: true });
    const info = await this.connection.startTls();
    this.capabilitiesValue = undefined;
    await this.capa();
    return info;
  }

  /**
   * Logs in; see Credentials for the method choice and the plaintext rule. Commands issued while it
   * runs (STAT, LIST… for the mailbox) wait for it; with PIPELINING they leave in the same write as the
   * login's last line, a round trip sooner (see Pop3Connection.holdUntilLoggedIn), and fail with its
   * error when every method is refused.
   */
  async login(credentials: Credentials): Promise<LoginMethod> {
    if (this.capabilitiesValue === undefined) await this.capa();
    const pipelining = this.capabilitiesValue?.pipelining === true;
    this.connection.holdUntilLoggedIn();
    const channel: AuthChannel = {
      apopTimestamp: this.greeting.apopTimestamp,
      mayPipeline: pipelining,
      exchange: async (line, name, logText, last = false, ahead = false) => {
        const reply = await this.command({
          line,
          name,
          logText,
          kind: 'sasl',
          // Under PIPELINING the last line is no barrier: what is held leaves with it; nor is a line
          // sent ahead (USER before PASS).
          barrier: !(pipelining && (last || ahead)),
          loginStep: last ? 'last' : 'step',
        });
        return reply.status;
      },
    };
    let method: LoginMethod;
    try {
      method = await login(
        { channel, capabilities: this.capabilitiesValue ?? null, secure: this.connection.tls !== null },
        credentials,
      );
    } catch (error) {
      this.connection.stopHolding(error instanceof Error ? error : new Error(String(error)));
      throw error;
    }
    this.loginMethodValue = method;
    this.stateValue = 'transaction';
    this.connection.phase = 'transaction';
    // Capabilities may differ after login (RFC 2449, section 5). With PIPELINING, CAPA is not waited
    // for: it follows what was held (those left with the login's last line) and the commands issued
    // next leave at once; `capabilities` is updated when its answer arrives. Until then, whether TOP
    // exists is open again (a TOP that gets -ERR then falls back to RETR).
    if (pipelining) {
      this.topSupported = undefined;
      this.connection.stopHolding();
      this.capaAfterLogin = this.capa().catch(() => {});
      return method;
    }
    try {
      // Without PIPELINING: CAPA again, answered before the held commands go.
      if (this.capabilitiesValue) await this.askCapabilities('step');
    } finally {
      this.connection.stopHolding();
    }
    return method;
  }

  /**
   * The capabilities once the CAPA sent after login is answered (or has failed): under PIPELINING
   * `login()` does not wait for it. For a console that prints the dialogue in order.
   */
  async settledCapabilities(): Promise<Capabilities | null | undefined> {
    await this.capaAfterLogin;
    return this.capabilitiesValue;
  }

  async stat(): Promise<Stat> {
    const reply = await this.command({ line: 'STAT', name: 'STAT', kind: 'single' });
    return parseStat(reply.status.text);
  }

  /** LIST: the size of every message not marked deleted. */
  async list(): Promise<MessageSize[]> {
    const reply = await this.command({ line: 'LIST', name: 'LIST', kind: 'multi', logBody: true });
    const entries = bodyLines(reply.body).map((line) => parseSizeLine(line, 'LIST'));
    for (const entry of entries) this.sizes.set(entry.number, entry.size);
    return entries;
  }

  async listOne(number: number): Promise<MessageSize> {
    const name = `LIST ${checkNumber(number)}`;
    const reply = await this.command({ line: name, name, kind: 'single' });
    const entry = parseSizeLine(reply.status.text, name);
    this.sizes.set(entry.number, entry.size);
    return entry;
  }

  /** UIDL: every message's unique id. Throws Pop3UnsupportedError when the server has no UIDL. */
  async uidl(): Promise<MessageUid[]> {
    try {
      const reply = await this.command({ line: 'UIDL', name: 'UIDL', kind: 'multi', logBody: true });
      return bodyLines(reply.body).map((line) => parseUidLine(line, 'UIDL'));
    } catch (error) {
      throw this.unsupportedIfUnlisted(error, 'UIDL');
    }
  }

  async uidlOne(number: number): Promise<MessageUid> {
    const name = `UIDL ${checkNumber(number)}`;
    try {
      const reply = await this.command({ line: name, name, kind: 'single' });
      return parseUidLine(reply.status.text, name);
    } catch (error) {
      throw this.unsupportedIfUnlisted(error, 'UIDL');
    }
  }

  /**
   * STAT, LIST and UIDL in one go (pipelined where the server allows): every message with its size
   * and unique id (undefined where the server has no UIDL, which is noted).
   */
  async messages(): Promise<MessageEntry[]> {
    const [sizes, uids] = await Promise.all([
      this.list(),
      this.uidl().catch((error: unknown) => {
        if (error instanceof Pop3UnsupportedError) {
          this.note('The server has no UIDL: messages cannot be recognised across sessions.');
          return undefined;
        }
        throw error;
      }),
    ]);
    const { entries, notes } = joinEntries(sizes, uids);
    for (const text of notes) this.note(text);
    return entries;
  }

  /** TOP n lines: the headers and the first `lines` body lines (at most `keepBytes` of them when set). */
  async top(number: number, lines: number, options: TopOptions = {}): Promise<Uint8Array> {
    return (await this.topReply(number, lines, options)).bytes;
  }

  /** TOP, with the bytes sent (`keepBytes` may cut); RETR without TOP or at an -ERR before CAPA. */
  private async topReply(number: number, lines: number, options: TopOptions) {
    if (this.topSupported !== false) {
      const name = `TOP ${checkNumber(number)} ${checkNumber(lines, 0)}`;
      const spec = { line: name, name, kind: 'multi', keepBytes: options.keepBytes } as const;
      try {
        const reply = await this.command({ ...spec, ...this.transfer(number, options) });
        this.topSupported = true;
        return { bytes: reply.body, receivedBytes: reply.bodyBytes };
      } catch (error) {
        if (!(error instanceof Pop3ServerError) || this.topSupported === true) throw error;
      }
    }
    const whole = await this.retr(number, options);
    if (this.topSupported === undefined) this.note(noTopNote);
    this.topSupported = false;
    return keptStart(topOf(whole, lines), options);
  }

  /**
   * RETR n: the message exactly as the server sent it (dot-unstuffed, terminator removed). When LIST
   * gave its size in this session and the message disagrees, rejects with Pop3IntegrityError.
   */
  async retr(number: number, options: TransferOptions = {}): Promise<Uint8Array> {
    const name = `RETR ${checkNumber(number)}`;
    const reply = await this.command({ line: name, name, kind: 'multi', ...this.transfer(number, options) });
    const listed = this.sizes.get(number);
    if (listed !== undefined && !sizeAgreesWithListing(reply.body, listed)) {
      throw new Pop3IntegrityError(number, reply.body.length, listed);
    }
    return reply.body;
  }

  /**
   * TOP or RETR of many messages, pipelined when the server allows it, never more than the connection's
   * window at a time (see fetch-each.ts).
   */
  fetchEach(options: FetchEachOptions): Promise<FetchEachResult> {
    const { topLines: lines, signal, keepBytes = limits.fetchEachTopKeepBytes } = options;
    const retr = async (number: number) => keptStart(await this.retr(number, { signal }), {});
    const fetch = (number: number) =>
      lines === undefined ? retr(number) : this.topReply(number, lines, { signal, keepBytes });
    return fetchEach(options, { window: () => this.connection.window, fetch });
  }

  /** DELE: marks the message; the server deletes it only when QUIT ends the session. */
  async dele(number: number): Promise<void> {
    const name = `DELE ${checkNumber(number)}`;
    await this.command({ line: name, name, kind: 'single' });
  }

  /** RSET: unmarks every message marked by DELE in this session. */
  async rset(): Promise<void> {
    await this.command({ line: 'RSET', name: 'RSET', kind: 'single' });
  }

  async noop(): Promise<void> {
    await this.command({ line: 'NOOP', name: 'NOOP', kind: 'single' });
  }

  /** QUIT: ends the session; in the transaction state this commits deletions. */
  async quit(options: QuitOptions = {}): Promise<void> {
    await this.quitWithStatus(options);
  }

  /** QUIT, resolving with the server's +OK (a console shows it). */
  private async quitWithStatus(options: QuitOptions): Promise<StatusLine> {
    const { timeoutMs } = options;
    const reply = this.command({ line: 'QUIT', name: 'QUIT', kind: 'single', barrier: true });
    this.connection.expectClose();
    const timer =
      timeoutMs === undefined
        ? undefined
        : setTimeout(() => this.connection.close(new Pop3TimeoutError('QUIT', timeoutMs)), timeoutMs);
    let status: StatusLine;
    try {
      status = (await reply).status;
    } finally {
      clearTimeout(timer);
    }
    this.stateValue = 'ended';
    this.connection.close(new Pop3ClosedError('the session has ended'));
    return status;
  }

  /**
   * One line typed by a user in a console: judged first (refused with a sentence of why: a login,
   * STLS after login), then sent through the queue on the interactive lane, its reply read in the
   * shape its command has (detected for HELP and unknown commands), and explained in words. `-ERR`
   * is an answer here, not an error; QUIT ends the session as `quit()` does.
   */
  async consoleCommand(input: string, options: ConsoleOptions = {}): Promise<ConsoleOutcome> {
    const command = parseConsoleCommand(input, { state: this.state, encrypted: this.tls !== null });
    if (command.kind !== 'send') return command;
    const channel = { send: (spec: CommandSpec) => this.command(spec), quit: () => this.quitWithStatus({}) };
    return runConsoleCommand(channel, command, options);
  }

  /** Ends the link at once, without QUIT: the server discards deletions. */
  close(): void {
    this.connection.close();
  }

  private command(spec: CommandSpec): Promise<Reply> {
    return this.connection.send(spec);
  }

  private transfer(
    number: number,
    options: TransferOptions,
  ): Pick<CommandSpec, 'signal' | 'onProgress' | 'urgent'> {
    const { signal, onProgress, urgent } = options;
    const total = this.sizes.get(number);
    return {
      signal,
      urgent,
      onProgress: onProgress && ((received: number) => onProgress(received, total)),
    };
  }

  private unsupportedIfUnlisted(error: unknown, command: string): unknown {
    if (error instanceof Pop3ServerError && this.capabilitiesValue?.has(command) !== true) {
      return new Pop3UnsupportedError(`the server does not support ${command} (${error.serverText})`);
    }
    return error;
  }

  private note(text: string): void {
    if (!this.notes.includes(text)) this.notes.push(text);
  }

  private retractNote(text: string): void {
    const at = this.notes.indexOf(text);
    if (at !== -1) this.notes.splice(at, 1);
  }
}

const noTopNote = 'The server has no TOP command: whole messages are downloaded to read their headers.';
