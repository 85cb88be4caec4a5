import type {
  FetchEachOptions,
  FetchEachResult,
  MessageEntry,
  QuitOptions,
  TransferOptions,
} from '@webpop/pop3';
import {
  Capabilities,
  parseConsoleCommand,
  Pop3AbortError,
  Pop3ClosedError,
  Pop3ServerError,
  runConsoleCommand,
  type ConsoleChannel,
  type ConsoleOptions,
  type ConsoleOutcome,
} from '@webpop/pop3';
import type { Connect, ConnectHooks, MailClient, ConnectParams } from '../../src/session/types.js';

export interface FakeMessage {
  readonly uid: string;
  readonly bytes: Uint8Array;
}

/** A maildrop shared by the fake sessions: QUIT commits deletions to it, as a POP3 server does. */
export class FakeMaildrop {
  messages: FakeMessage[];
  constructor(messages: FakeMessage[]) {
    this.messages = messages;
  }
  deliver(message: FakeMessage): void {
    this.messages.push(message);
  }
}

export function mail(headers: Record<string, string>, body = 'Hello.\r\n'): Uint8Array {
  const head = Object.entries(headers)
    .map(([name, value]) => `${name}: ${value}`)
    .join('\r\n');
  return new TextEncoder().encode(`${head}\r\n\r\n${body}`);
}

/** What `TOP n lines` answers: the header block, the empty line, then the first `lines` body lines. */
function headerPart(bytes: Uint8Array, lines = 0): Uint8Array {
  const text = new TextDecoder('latin1').decode(bytes);
  const end = text.indexOf('\r\n\r\n');
  if (end === -1) return bytes;
  let at = end + 4;
  for (let line = 0; line < lines && at < bytes.length; line++) {
    const next = text.indexOf('\n', at);
    at = next === -1 ? bytes.length : next + 1;
  }
  return bytes.subarray(0, at);
}

/** The few Pop3Client methods the app calls, over a snapshot of the maildrop taken at login. */
export class FakeClient implements MailClient {
  readonly commands: string[] = [];
  readonly notes: string[] = [];
  capabilities: Capabilities | null = null;
  readonly loginMethod = 'user' as const;
  readonly tls = null;
  state: MailClient['state'] = 'transaction';
  closeReason: Error | undefined;
  /** The numbers of each fetchEach call, and the options of each RETR and QUIT, as the app passed them. */
  readonly fetchEachCalls: Array<readonly number[]> = [];
  readonly retrOptions: TransferOptions[] = [];
  readonly quitOptions: Array<QuitOptions | undefined> = [];
  /** Set to make the next RETR wait until released. */
  holdRetr: Promise<void> | undefined;
  private readonly snapshot: FakeMessage[];
  private readonly marked = new Set<number>();
  /** Rejected when the session drops, as the engine rejects the commands still waiting for replies. */
  private readonly ended: Promise<never>;
  private rejectPending: (error: Error) => void = () => {};

  constructor(
    private readonly maildrop: FakeMaildrop,
    private readonly hooks: ConnectHooks,
  ) {
    this.snapshot = [...maildrop.messages];
    this.ended = new Promise<never>((_, reject) => {
      this.rejectPending = reject;
    });
    this.ended.catch(() => {});
  }

  private command(line: string): void {
    if (this.state === 'ended') throw new Pop3ClosedError('the connection was closed by the client');
    this.commands.push(line);
    this.hooks.onLog({ direction: 'client', text: line });
    this.hooks.onLog({ direction: 'server', text: '+OK' });
  }

  async stat() {
    this.command('STAT');
    return { count: this.snapshot.length, size: this.snapshot.reduce((sum, m) => sum + m.bytes.length, 0) };
  }

  async messages(): Promise<MessageEntry[]> {
    this.command('LIST');
    this.command('UIDL');
    return this.snapshot.map((message, index) => ({
      number: index + 1,
      size: message.bytes.length,
      uid: message.uid,
    }));
  }

  async fetchEach(options: FetchEachOptions): Promise<FetchEachResult> {
    const failures: Array<{ number: number; error: Pop3ServerError }> = [];
    this.fetchEachCalls.push([...options.numbers]);
    for (const number of options.numbers) {
      const line = options.topLines === undefined ? `RETR ${number}` : `TOP ${number} ${options.topLines}`;
      if (options.signal?.aborted) throw new Pop3AbortError(line);
      this.command(line);
      const message = this.snapshot[number - 1];
      if (!message || this.marked.has(number)) {
        failures.push({
          number,
          error: new Pop3ServerError(line, 'no such message', undefined, 'transaction'),
        });
        continue;
      }
      const bytes =
        options.topLines === undefined ? message.bytes.slice() : headerPart(message.bytes, options.topLines);
      const kept = options.topLines === undefined ? bytes : bytes.subarray(0, options.keepBytes);
      options.onMessage(number, kept, bytes.length);
      await Promise.resolve();
    }
    return { failures };
  }

  async retr(number: number, options: TransferOptions = {}): Promise<Uint8Array> {
    this.command(`RETR ${number}`);
    this.retrOptions.push(options);
    const message = this.snapshot[number - 1];
    if (!message) throw new Pop3ServerError(`RETR ${number}`, 'no such message', undefined, 'transaction');
    const half = Math.floor(message.bytes.length / 2);
    options.onProgress?.(half, message.bytes.length);
    const abort = new Promise<never>((_, reject) => {
      if (options.signal?.aborted) reject(new Pop3AbortError(`RETR ${number}`));
      options.signal?.addEventListener('abort', () => reject(new Pop3AbortError(`RETR ${number}`)));
    });
    if (this.holdRetr) await Promise.race([this.holdRetr, abort, this.ended]);
    await Promise.race([Promise.resolve(), abort]);
    options.onProgress?.(message.bytes.length, message.bytes.length);
    return message.bytes.slice();
  }

  async dele(number: number): Promise<void> {
    this.command(`DELE ${number}`);
    if (this.marked.has(number))
      throw new Pop3ServerError(`DELE ${number}`, 'message already deleted', undefined, 'transaction');
    this.marked.add(number);
  }

  async rset(): Promise<void> {
    this.command('RSET');
    this.marked.clear();
  }

  async noop(): Promise<void> {
    this.command('NOOP');
  }

  /** The engine's own console (parse, run, explain) over a channel that answers STAT, LIST n and DELE n. */
  async consoleCommand(input: string, options?: ConsoleOptions): Promise<ConsoleOutcome> {
    const command = parseConsoleCommand(input, { state: this.state, encrypted: false });
    if (command.kind !== 'send') return command;
    const ok = (text: string) => ({
      status: { indicator: '+OK' as const, text, code: undefined },
      body: new Uint8Array(),
      bodyBytes: 0,
      multiLine: false,
    });
    const channel: ConsoleChannel = {
      send: async ({ line = '' }) => {
        this.command(line);
        const [verb, arg] = line.split(' ');
        if (verb === 'STAT') {
          return ok(`${this.snapshot.length} ${this.snapshot.reduce((sum, m) => sum + m.bytes.length, 0)}`);
        }
        const message = arg === undefined ? undefined : this.snapshot[Number(arg) - 1];
        if (arg !== undefined && (!message || this.marked.has(Number(arg)))) {
          throw new Pop3ServerError(line, 'no such message', undefined, 'transaction');
        }
        if (verb === 'LIST' && message) return ok(`${arg} ${message.bytes.length}`);
        return ok('');
      },
      quit: async () => {
        await this.quit();
        return ok('bye').status;
      },
    };
    return runConsoleCommand(channel, command, options);
  }

  async quit(options?: QuitOptions): Promise<void> {
    this.quitOptions.push(options);
    this.command('QUIT');
    const gone = new Set([...this.marked].map((number) => this.snapshot[number - 1]));
    this.maildrop.messages = this.maildrop.messages.filter((message) => !gone.has(message));
    this.state = 'ended';
  }

  close(): void {
    this.state = 'ended';
  }

  /** The next QUIT finds the connection gone (the server closed it before answering). */
  failQuit(): void {
    this.quit = async () => {
      this.state = 'ended';
      throw new Pop3ClosedError('the server closed the connection while waiting for the reply to QUIT');
    };
  }

  /** The server (or the network) ends the session. */
  drop(error: Error = new Pop3ClosedError('the server closed the connection')): void {
    this.state = 'ended';
    this.closeReason = error;
    this.rejectPending(error);
    this.hooks.onClosed(undefined);
  }
}

/** A Connect that opens FakeClients on the maildrop (or fails with `failWith`). */
export function fakeConnect(maildrop: FakeMaildrop) {
  const sessions: FakeClient[] = [];
  const logins: ConnectParams[] = [];
  const control: {
    failWith: Error | undefined;
    /** The CAPA lines each new session answers with (undefined: the server has no CAPA). */
    capa: string[] | undefined;
    connect: Connect;
    sessions: FakeClient[];
    logins: ConnectParams[];
  } = {
    failWith: undefined,
    capa: undefined,
    sessions,
    logins,
    connect: async (params, hooks) => {
      logins.push(params);
      hooks.onStage('connecting');
      await Promise.resolve();
      hooks.onStage('authenticating');
      await Promise.resolve();
      if (control.failWith) throw control.failWith;
      const client = new FakeClient(maildrop, hooks);
      if (control.capa) client.capabilities = new Capabilities(control.capa);
      sessions.push(client);
      return client;
    },
  };
  return control;
}
