import { feedUnlessUpgrading } from '@webpop/wire';
import { AbortWatches } from './abort-watches.js';
import { concatBytes, utf8 } from './bytes.js';
import {
  Pop3AbortError,
  Pop3ClosedError,
  Pop3Error,
  Pop3ProtocolError,
  starttlsInjectionError,
  Pop3ServerError,
  Pop3TimeoutError,
  type Pop3Phase,
} from './errors.js';
import { limits } from './limits.js';
import { leadingLines } from './protocol/leading-lines.js';
import { ReplyReader, type ReplySink } from './protocol/reply-reader.js';
import type { StatusLine } from './protocol/status-line.js';
import type { Transport } from './transport.js';
import type { CommandSpec, ConnectionOptions, LogEntry, PendingCommand, Reply } from './connection-types.js';

export type { CommandSpec, ConnectionOptions, LogEntry, Reply } from './connection-types.js';

/**
 * The command pipe: queues commands (urgent ones ahead of the rest), sends up to a window of them at
 * once when pipelining is on, matches replies to commands strictly in order, and turns every failure into a typed error.
 * After any failure that leaves the stream in an unknown place it closes the link, so the state is
 * always known: usable, or closed with every waiting command rejected.
 */
export class Pop3Connection {
  private readonly reader: ReplyReader;
  private readonly queued: PendingCommand[] = [];
  private readonly inFlight: PendingCommand[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private failure: Error | undefined;
  private closedByQuit = false;
  /** Between +OK to STLS and the end of the handshake: any byte from the server is an injection. */
  private tlsPending = false;
  private pumpScheduled = false;
  private attached = false;
  /** When a command last went out or a reply byte came in. */
  private lastTrafficAt = Date.now();
  private readonly abortWatches = new AbortWatches<PendingCommand>((command) => this.abort(command));
  /**
   * During a login under PIPELINING: `held` are commands for after it, waiting for the login's last
   * line; `carried` are the ones that went out behind that line, undone if it is refused.
   */
  private holding: 'off' | 'held' | 'carried' = 'off';
  private readonly held: PendingCommand[] = [];
  private carried: PendingCommand[] = [];
  /** Set when the server may take many commands at once (CAPA said PIPELINING, state allows it). */
  pipelining = false;
  /** Advanced by the client: after the greeting to `login`, after a login to `transaction`. */
  phase: Pop3Phase = 'greeting';
  readonly timeoutMs: number;

  constructor(
    private readonly transport: Transport,
    private readonly options: ConnectionOptions = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? limits.commandTimeoutMs;
    this.reader = new ReplyReader(this.sink());
  }

  get closed(): boolean {
    return this.failure !== undefined;
  }

  /** Why the connection is closed, if it is. */
  get closeReason(): Error | undefined {
    return this.failure;
  }

  get tls() {
    return this.transport.tls;
  }

  /** Commands in flight at once: the pipeline window with PIPELINING, otherwise one. */
  get window(): number {
    return this.pipelining ? limits.pipelineWindow : 1;
  }

  /** Milliseconds since anything went over the link; 0 while a command is queued or waits for its reply. */
  get idleMs(): number {
    if (this.inFlight.length > 0 || this.queued.length > 0) return 0;
    return Math.max(0, Date.now() - this.lastTrafficAt);
  }

  /** Queues a command; resolves with its `+OK` reply, rejects with a typed error. */
  send(spec: CommandSpec): Promise<Reply> {
    return new Promise<Reply>((resolve, reject) => {
      if (this.failure) return reject(this.failure);
      if (spec.signal?.aborted) return reject(new Pop3AbortError(spec.name));
      const command: PendingCommand = {
        spec,
        resolve,
        reject,
        chunks: [],
        received: 0,
        kept: 0,
        multiLine: false,
        status: undefined,
        phase: this.phase,
        discard: false,
      };
      this.watchAbort(command);
      if (this.holding !== 'off' && spec.loginStep === undefined) {
        command.phase = 'transaction';
        if (this.holding === 'held') this.held.push(command);
        else this.carry([command]);
        return;
      }
      if (spec.urgent) this.queued.splice(this.urgentSlot(), 0, command);
      else this.queued.push(command);
      if (spec.loginStep === 'last' && this.holding === 'held' && this.pipelining) {
        this.holding = 'carried';
        this.carry(this.held.splice(0));
      }
      this.schedulePump();
      this.attachOnce();
    });
  }

  /**
   * From now until `stopHolding()`, commands that are not part of the login wait for it. With
   * PIPELINING they leave in the same write as its last line (RFC 2449: the server reads pipelined
   * commands in order, so what follows a PASS is read after the login it completes), a round trip
   * sooner. When that line is refused (a method the client then falls back from), their replies
   * (-ERR in the AUTHORIZATION state) are thrown away and they wait for the next method's last line.
   */
  holdUntilLoggedIn(): void {
    if (this.holding === 'off') this.holding = 'held';
  }

  /**
   * The login is over. In: whatever is still held goes out in the order it was issued. Refused
   * (`failure`): the held commands fail with its error, unsent.
   */
  stopHolding(failure?: Error): void {
    this.holding = 'off';
    this.carried = [];
    for (const command of this.held.splice(0)) {
      if (!failure) {
        this.queued.push(command);
        continue;
      }
      this.unwatchAbort(command);
      command.reject(failure);
    }
    this.schedulePump();
  }

  private carry(commands: PendingCommand[]): void {
    for (const command of commands) this.queued.push(command);
    this.carried.push(...commands);
    this.schedulePump();
  }

  /** The login's last line was answered: in, or the carried commands wait again for the next attempt. */
  private loginAnswered(accepted: boolean): void {
    if (this.holding !== 'carried') return;
    const carried = this.carried;
    this.carried = [];
    if (accepted) {
      this.holding = 'off';
      return;
    }
    this.holding = 'held';
    for (const command of carried) {
      const queuedAt = this.queued.indexOf(command);
      if (queuedAt !== -1) {
        this.queued.splice(queuedAt, 1);
        this.held.push(command);
      } else if (!command.discard && this.inFlight.includes(command)) {
        // Sent: its reply (to a command in the wrong state) is read and dropped; a copy waits instead.
        this.unwatchAbort(command);
        command.discard = true;
        const again: PendingCommand = {
          ...command,
          chunks: [],
          received: 0,
          kept: 0,
          status: undefined,
          discard: false,
        };
        this.watchAbort(again);
        this.held.push(again);
      }
    }
  }

  /**
   * Switches the link to TLS after `+OK` to STLS. Any byte the server sent after that `+OK` is an
   * injection attempt: the engine refuses it and drops whatever it had read in plaintext.
   */
  async startTls() {
    if (this.failure) throw this.failure;
    if (!this.tlsPending || this.inFlight.length > 0 || this.queued.length > 0) {
      throw new Pop3ProtocolError('startTls() is only possible right after +OK to STLS');
    }
    this.reader.reset();
    try {
      const info = await this.transport.startTls();
      this.tlsPending = false;
      return info;
    } catch (error) {
      this.fail(error instanceof Error ? error : new Pop3ClosedError(String(error)));
      throw this.failure;
    }
  }

  /** Starts receiving when the first command (the greeting) is queued, so early bytes have an owner. */
  private attachOnce(): void {
    if (this.attached) return;
    this.attached = true;
    this.transport.attach({
      data: (chunk) => this.onData(chunk),
      closed: (error) => this.onClosed(error),
    });
  }

  /** Marks the next close as the normal end of the session (after +OK to QUIT). */
  expectClose(): void {
    this.closedByQuit = true;
  }

  /** Ends the link at once; waiting commands fail with Pop3ClosedError. */
  close(reason: Error = new Pop3ClosedError('the connection was closed by the client')): void {
    this.fail(reason);
  }

  private sink(): ReplySink {
    return {
      nextReplyKind: () => this.inFlight[0]?.spec.kind,
      status: (status) => this.onStatus(status),
      body: (chunk) => this.onBody(chunk),
      end: () => this.onEnd(),
      detected: (multiLine) => this.onDetected(multiLine),
    };
  }

  /**
   * Sends on the next microtask, so that commands issued together (or refills after a chunk full of
   * replies) leave in one write.
   */
  private schedulePump(): void {
    if (this.pumpScheduled) return;
    this.pumpScheduled = true;
    queueMicrotask(() => {
      this.pumpScheduled = false;
      this.pump();
    });
  }

  private pump(): void {
    if (this.failure) return;
    const lines: string[] = [];
    while (this.queued.length > 0 && this.maySendNext()) {
      const command = this.queued.shift()!;
      this.inFlight.push(command);
      const { line, logText } = command.spec;
      if (line === undefined) continue;
      lines.push(`${line}\r\n`);
      this.log('client', logText ?? line);
    }
    if (lines.length > 0) {
      this.lastTrafficAt = Date.now();
      this.transport.send(utf8(lines.join('')));
    }
    this.armTimer();
  }

  /** Where an urgent command joins the queue: after the urgent commands and barriers already in it. */
  private urgentSlot(): number {
    let slot = this.queued.length;
    while (slot > 0 && !this.queued[slot - 1]!.spec.urgent && !this.queued[slot - 1]!.spec.barrier) slot--;
    return slot;
  }

  private maySendNext(): boolean {
    const last = this.inFlight[this.inFlight.length - 1];
    if (!last) return true;
    if (!this.pipelining || last.spec.barrier || this.queued[0]!.spec.barrier) return false;
    return this.inFlight.length < this.window;
  }

  private onData(chunk: Uint8Array): void {
    if (this.failure) return;
    // The greeting may already be waiting in the transport when the connection attaches.
    if (this.inFlight.length === 0 && this.queued[0]?.spec.line === undefined) this.pump();
    try {
      const clean = feedUnlessUpgrading(
        chunk,
        () => this.tlsPending,
        (bytes) => {
          this.lastTrafficAt = Date.now();
          this.armTimer();
          this.reader.feed(bytes);
        },
      );
      if (!clean) this.fail(starttlsInjectionError());
    } catch (error) {
      this.fail(error instanceof Error ? error : new Pop3ProtocolError(String(error)));
    }
  }

  private onStatus(status: StatusLine): void {
    const command = this.inFlight[0]!;
    command.status = status;
    this.log('server', formatStatus(status));
    if (status.indicator === '-ERR') {
      this.settle(command, new Pop3ServerError(command.spec.name, status.text, status.code, command.phase));
    } else if (command.spec.kind === 'detect' && status.indicator === '+OK') {
      if (this.inFlight.length === 1) this.sendProbe();
    } else if (command.spec.kind !== 'multi' || status.indicator !== '+OK') {
      this.settle(command);
    } else {
      command.multiLine = true;
    }
  }

  private onDetected(multiLine: boolean): void {
    const command = this.inFlight[0]!;
    if (multiLine) command.multiLine = true;
    else this.settle(command);
  }

  /**
   * A `detect` reply's shape is told by the line after its `+OK` (see ReplyKind), so some reply must
   * follow it. When nothing else is in flight, a NOOP does: its `+OK` follows a one-line reply at
   * once, or the body first. Sent after the status line, so even a server without PIPELINING has
   * finished reading the command before the NOOP arrives. It shows in the log as what it is.
   */
  private sendProbe(): void {
    const spec: CommandSpec = {
      line: 'NOOP',
      name: 'NOOP',
      logText: 'NOOP (to tell where the reply ends)',
      kind: 'single',
    };
    this.inFlight.push({
      spec,
      resolve: () => {},
      reject: () => {},
      chunks: [],
      received: 0,
      kept: 0,
      multiLine: false,
      status: undefined,
      phase: this.phase,
      discard: false,
    });
    this.log('client', spec.logText!);
    this.lastTrafficAt = Date.now();
    this.transport.send(utf8('NOOP\r\n'));
  }

  private onBody(chunk: Uint8Array): void {
    const command = this.inFlight[0]!;
    command.received += chunk.length;
    if (command.discard) return;
    const room = (command.spec.keepBytes ?? Infinity) - command.kept;
    // The reader's view is only valid during this call; keep a copy.
    if (room > 0) {
      const kept = chunk.length <= room ? chunk.slice() : chunk.slice(0, room);
      command.chunks.push(kept);
      command.kept += kept.length;
    }
    command.spec.onProgress?.(command.received);
  }

  private onEnd(): void {
    const command = this.inFlight[0]!;
    if (command.spec.logBody) {
      const shown = leadingLines(
        concatBytes(command.chunks, command.kept),
        command.spec.logLines ?? Infinity,
      );
      for (const line of shown.lines) this.log('server', line);
      if (shown.octets < command.received) {
        this.log('server', `[${command.received - shown.octets} more octets, ${command.received} in all]`);
      }
      this.log('server', '.');
    } else {
      this.log('server', `[${command.received} octets]`);
      this.log('server', '.');
    }
    this.settle(command);
  }

  private settle(command: PendingCommand, error?: Error): void {
    this.inFlight.shift();
    if (command.spec.line === 'STLS' && !error) this.tlsPending = true;
    if (command.spec.loginStep === 'last') this.loginAnswered(!error && command.status?.indicator === '+OK');
    this.unwatchAbort(command);
    if (!command.discard) {
      if (error) command.reject(error);
      else
        command.resolve({
          status: command.status!,
          body: concatBytes(command.chunks, command.kept),
          bodyBytes: command.received,
          multiLine: command.multiLine,
        });
    }
    command.chunks = [];
    this.schedulePump();
  }

  private abort(command: PendingCommand): void {
    const queuedAt = this.queued.indexOf(command);
    const heldAt = this.held.indexOf(command);
    if (queuedAt !== -1) {
      this.queued.splice(queuedAt, 1);
    } else if (heldAt !== -1) {
      this.held.splice(heldAt, 1);
    } else if (this.inFlight.includes(command)) {
      // Already sent: its reply still comes and must be read to keep replies in step with commands.
      command.discard = true;
      command.chunks = [];
    } else {
      return;
    }
    this.unwatchAbort(command);
    command.reject(new Pop3AbortError(command.spec.name));
  }

  private watchAbort(command: PendingCommand): void {
    this.abortWatches.add(command.spec.signal, command);
  }

  private unwatchAbort(command: PendingCommand): void {
    this.abortWatches.delete(command.spec.signal, command);
  }

  private armTimer(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    const head = this.inFlight[0];
    if (!head || this.failure) return;
    this.timer = setTimeout(() => {
      this.fail(new Pop3TimeoutError(head.spec.name, this.timeoutMs));
    }, this.timeoutMs);
  }

  private onClosed(error?: Error): void {
    if (this.failure) return;
    const head = this.inFlight[0];
    if (this.closedByQuit && !head) {
      this.fail(new Pop3ClosedError('the session has ended'), false);
      return;
    }
    const where = head
      ? this.reader.midReply
        ? ` in the middle of the reply to ${head.spec.name}`
        : ` while waiting for the reply to ${head.spec.name}`
      : '';
    this.fail(
      new Pop3ClosedError(`the server closed the connection${where}${error ? `: ${error.message}` : ''}`, {
        cause: error,
      }),
      false,
    );
  }

  /** Rejects everything that waits and closes the link: the one way out of any failure. */
  private fail(error: Error, closeTransport = true): void {
    if (this.failure) return;
    this.failure = error;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    const waiting = [...this.inFlight, ...this.queued, ...this.held.splice(0)];
    this.inFlight.length = 0;
    this.queued.length = 0;
    this.carried = [];
    for (const command of waiting) {
      this.unwatchAbort(command);
      if (!command.discard) command.reject(error);
    }
    if (closeTransport) this.transport.close();
    if (!(error instanceof Pop3Error && error.kind === 'closed' && this.closedByQuit)) {
      this.log('client', `[connection closed: ${error.message}]`);
    }
  }

  private log(direction: LogEntry['direction'], text: string): void {
    this.options.onLog?.({ direction, text });
  }
}

function formatStatus(status: StatusLine): string {
  const code = status.code ? `[${status.code}] ` : '';
  return `${status.indicator}${status.text || code ? ' ' : ''}${code}${status.text}`;
}
