import { concatBytes } from '@webpop/pop3/codec';
import { ScriptedTransport } from '../../../pop3/test/support/scripted-transport.js';

/** How the paced transport answers `drained()`: at once, when the test releases it, or never. */
export type Pace = 'immediate' | 'held' | 'never';

/**
 * An in-memory submission server whose link takes the client's writes at the test's pace: each
 * `drained()` is settled as `pace` says (`release()` settles a held one), so a test sees what the
 * engine does while the link has not taken its last piece. Answers EHLO with PIPELINING, MAIL/RCPT
 * with 250, DATA with 354 and the final dot with 250; keeps the raw bytes written after 354.
 */
export class PacedTransport extends ScriptedTransport {
  /** Every send() after the 354, as written (dot-stuffed), the final dot included. */
  readonly dataWrites: Uint8Array[] = [];
  /** Most writes the engine made before the link had taken the previous one. */
  maxUntaken = 0;
  pace: Pace;
  /** As a WebSocket to the bridge says it (its message limit); undefined: any size, as a socket. */
  maxSendBytes: number | undefined;
  private untaken = 0;
  private readonly state: { inData: boolean };
  private readonly held: Array<{ resolve: () => void; reject: (error: Error) => void }> = [];

  constructor(pace: Pace = 'immediate', maxSendBytes?: number) {
    const state = { inData: false };
    super('220 ready\r\n', (line) => {
      if (state.inData) {
        if (line !== '.') return [];
        state.inData = false;
        return '250 2.0.0 queued\r\n';
      }
      if (line.startsWith('EHLO')) return '250-test\r\n250-8BITMIME\r\n250 PIPELINING\r\n';
      if (line === 'DATA') {
        state.inData = true;
        return '354 go\r\n';
      }
      return '250 ok\r\n';
    });
    this.state = state;
    this.pace = pace;
    this.maxSendBytes = maxSendBytes;
  }

  override send(bytes: Uint8Array): void {
    if (this.state.inData) {
      this.dataWrites.push(bytes.slice());
      this.untaken++;
      this.maxUntaken = Math.max(this.maxUntaken, this.untaken);
    }
    super.send(bytes);
  }

  drained(): Promise<void> | undefined {
    if (this.closed) return Promise.reject(new Error('closed'));
    if (this.pace === 'immediate') {
      // Under the mark: nothing to wait for (as the Node and WebSocket transports answer then).
      this.untaken = 0;
      return undefined;
    }
    return new Promise((resolve, reject) => {
      if (this.pace === 'held') this.held.push({ resolve, reject });
    });
  }

  /** The link takes what was written: the oldest held `drained()` resolves. */
  release(): void {
    this.untaken = 0;
    this.held.shift()?.resolve();
  }

  /** The link fails while a write is held. */
  failHeld(error: Error): void {
    this.held.shift()?.reject(error);
  }

  get heldCount(): number {
    return this.held.length;
  }

  /** The message as it went on the wire after 354. */
  get wire(): Uint8Array {
    return concatBytes(this.dataWrites);
  }
}
