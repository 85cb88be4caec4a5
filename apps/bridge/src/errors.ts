import { closeCodeFor, type ErrorCode } from '@webpop/wire';

/**
 * A reason to end a relay: sent to the browser as `{"type":"error","code","message"}` before the close.
 * The message is shown to users, so it never holds payload bytes or secrets.
 */
export class BridgeError extends Error {
  override name = 'BridgeError';
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }

  get closeCode(): number {
    return closeCodeFor[this.code];
  }
}
