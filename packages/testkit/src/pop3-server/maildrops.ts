import { createHash } from 'node:crypto';
import { toCrlf } from '../bytes/crlf.js';
import type { Pop3AccountInput, StoredMessage } from './types.js';

export class Maildrop {
  readonly messages: StoredMessage[] = [];
  private deliveries = 0;
  private lockedBy: number | undefined;

  constructor(
    readonly username: string,
    readonly password: string,
    /** Store messages exactly as delivered, bare LFs kept. */
    private readonly keepBareLf = false,
  ) {}

  deliver(message: Uint8Array): StoredMessage {
    const bytes = this.keepBareLf ? Uint8Array.from(message) : toCrlf(message);
    // The delivery sequence number makes identical messages get distinct UIDs, and the UID never
    // depends on the message's current position, so it stays stable when others are deleted.
    const uid = createHash('sha256')
      .update(`${this.username}\0${this.deliveries++}\0`)
      .update(bytes)
      .digest('hex')
      .slice(0, 24);
    const stored: StoredMessage = { uid, bytes };
    this.messages.push(stored);
    return stored;
  }

  /** Removes the given messages (by identity, so later deliveries are untouched). */
  expunge(deleted: ReadonlySet<StoredMessage>): void {
    const kept = this.messages.filter((message) => !deleted.has(message));
    this.messages.splice(0, this.messages.length, ...kept);
  }

  tryLock(connection: number): boolean {
    if (this.lockedBy !== undefined && this.lockedBy !== connection) return false;
    this.lockedBy = connection;
    return true;
  }

  unlock(connection: number): void {
    if (this.lockedBy === connection) this.lockedBy = undefined;
  }
}

export function createMaildrops(accounts: Pop3AccountInput[], keepBareLf = false): Map<string, Maildrop> {
  const maildrops = new Map<string, Maildrop>();
  for (const account of accounts) {
    if (maildrops.has(account.username)) throw new Error(`duplicate account ${account.username}`);
    const maildrop = new Maildrop(account.username, account.password, keepBareLf);
    for (const message of account.messages) maildrop.deliver(message);
    maildrops.set(account.username, maildrop);
  }
  return maildrops;
}
