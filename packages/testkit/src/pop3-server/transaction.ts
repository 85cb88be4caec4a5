import type { Maildrop } from './maildrops.js';
import { frameLines, frameMultiline, topOfMessage } from './multiline.js';
import type { ResolvedFeatures } from './resolved-options.js';
import type { Continue, Responder } from './responder.js';
import type { Pop3Faults, Pop3Quirks, StoredMessage } from './types.js';

export interface TransactionEnvironment {
  readonly connection: number;
  readonly features: ResolvedFeatures;
  readonly faults: Pop3Faults;
  readonly quirks: Pop3Quirks;
}

/** The TRANSACTION state of one session (RFC 1939 §5): the maildrop as it was at login, and the deletion marks. */
export class Transaction {
  /** Message numbers stay fixed for the session. */
  readonly messages: StoredMessage[];
  private readonly deleted = new Set<StoredMessage>();

  constructor(
    readonly maildrop: Maildrop,
    private readonly reply: Responder,
    private readonly env: TransactionEnvironment,
  ) {
    this.messages = [...maildrop.messages];
  }

  /** Answers a TRANSACTION command; undefined when `command` is not one. */
  dispatch(command: string, args: string[]): Promise<Continue> | undefined {
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
        return args.length > 0 ? this.reply.err('NOOP takes no arguments') : this.reply.ok('NOOP');
    }
    return undefined;
  }

  /** The UPDATE state (RFC 1939 §6): removes the marked messages and releases the lock; returns how many are left. */
  commit(): number {
    this.maildrop.expunge(this.deleted);
    this.maildrop.unlock(this.env.connection);
    return this.maildrop.messages.length;
  }

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
    if (args.length > 0) return this.reply.err('STAT takes no arguments');
    const visible = this.visibleMessages().map(({ message }) => message);
    return this.reply.ok(`${visible.length} ${totalSize(visible)}`);
  }

  private async list(args: string[]): Promise<Continue> {
    const sizes = this.env.quirks.listSizes ?? {};
    return this.listing(args, 'LIST', (message, number) => String(sizes[number] ?? message.bytes.length));
  }

  private async uidl(args: string[]): Promise<Continue> {
    if (!this.env.features.uidl) return this.reply.err('Unknown command');
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
    if (args.length > 1) return this.reply.err(`${command} takes at most one argument`);
    if (args.length === 1) {
      const message = this.messageAt(args[0]);
      if (typeof message === 'string') return this.reply.err(message);
      const described = describe(message, Number(args[0]));
      if (described === null) return this.reply.err(`No ${command} entry for message ${Number(args[0])}`);
      return this.reply.ok(`${Number(args[0])} ${described}`);
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
    return this.reply.multiline(status, frameLines(lines, this.reply.lineEnding));
  }

  private async top(args: string[]): Promise<Continue> {
    if (!this.env.features.top) return this.reply.err('Unknown command');
    if (this.env.faults.errOnTop) return this.reply.err('TOP failed');
    if (args.length !== 2 || !/^[0-9]{1,9}$/.test(args[1] ?? '')) {
      return this.reply.err('TOP expects a message number and a line count');
    }
    const message = this.messageAt(args[0]);
    if (typeof message === 'string') return this.reply.err(message);
    return this.reply.multiline(
      'Top of message follows',
      frameMultiline(topOfMessage(message.bytes, Number(args[1])), this.reply.lineEnding),
    );
  }

  private async retr(args: string[]): Promise<Continue> {
    if (args.length !== 1) return this.reply.err('RETR takes one argument');
    const message = this.messageAt(args[0]);
    if (typeof message === 'string') return this.reply.err(message);
    return this.reply.multiline(
      `${message.bytes.length} octets`,
      frameMultiline(message.bytes, this.reply.lineEnding),
    );
  }

  private async dele(args: string[]): Promise<Continue> {
    if (args.length !== 1) return this.reply.err('DELE takes one argument');
    const message = this.messageAt(args[0]);
    if (typeof message === 'string') return this.reply.err(message);
    this.deleted.add(message);
    return this.reply.ok(`Message ${Number(args[0])} deleted`);
  }

  private async rset(args: string[]): Promise<Continue> {
    if (args.length > 0) return this.reply.err('RSET takes no arguments');
    this.deleted.clear();
    return this.reply.ok(
      `Maildrop has ${this.messages.length} messages (${totalSize(this.messages)} octets)`,
    );
  }
}

export function totalSize(messages: readonly StoredMessage[]): number {
  return messages.reduce((sum, message) => sum + message.bytes.length, 0);
}
