import type { ConnectionOptions } from './connection.js';

/** The public shapes of Pop3Client's arguments and answers. */

export type ClientOptions = ConnectionOptions;

export interface Greeting {
  readonly text: string;
  /** Present when the server offers APOP. */
  readonly apopTimestamp: string | undefined;
}

export interface TransferOptions {
  readonly signal?: AbortSignal;
  /**
   * The interactive lane: the command goes before every command not yet sent that is not urgent, so a
   * message a user opens waits behind at most the window already in flight, not behind a listing.
   */
  readonly urgent?: boolean;
  /** Bytes received so far, and the size the server announced in LIST when known. */
  readonly onProgress?: (receivedBytes: number, totalBytes: number | undefined) => void;
}

export interface TopOptions extends TransferOptions {
  /** Keep at most this many bytes of the reply; the rest is read and counted, not held. */
  readonly keepBytes?: number;
}

export interface MessageEntry {
  readonly number: number;
  readonly size: number;
  /** Undefined when the server has no UIDL, or its UIDL has no entry for this message. */
  readonly uid: string | undefined;
  /**
   * Why `uid` cannot tell this message apart across sessions: `unsupported` (the server has no UIDL),
   * `missing` (its UIDL left this message out), `duplicate` (another message has the same id: real
   * servers do this, fetchmail's FAQ documents it); undefined when the id is sound.
   */
  readonly uidProblem?: 'unsupported' | 'missing' | 'duplicate';
}

export type SessionState = 'authorization' | 'transaction' | 'ended';

export interface QuitOptions {
  /** No reply to QUIT within this long (from the call): the link is closed and QUIT rejects with a timeout. */
  readonly timeoutMs?: number;
}
