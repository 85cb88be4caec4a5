import type net from 'node:net';
import type { WebSocket } from 'ws';

/**
 * Bounded buffers both ways, so a slow browser or a slow mail server costs the bridge at most about
 * `highWaterBytes` (plus a socket chunk) per relay:
 * - server → browser: after each send, if the WebSocket's buffered amount is over the mark, stop reading
 *   the mail server's socket; each send's completion callback checks again and resumes at half the mark
 *   (the last pending send's callback always sees an empty buffer, so a resume cannot be missed);
 * - browser → server: when the TCP socket's write buffer is full (`write()` returned false), stop reading
 *   the WebSocket (ws `pause()`, which stops reading its socket) until the TCP socket's 'drain'.
 */
export class FlowControl {
  private upstream: net.Socket | undefined;
  private upstreamPaused = false;
  private browserPaused = false;

  constructor(
    private readonly ws: WebSocket,
    private readonly highWaterBytes: number,
  ) {}

  /** The socket to the mail server (replaced by the TLS socket after STLS). */
  setUpstream(socket: net.Socket): void {
    this.upstream?.off('drain', this.onUpstreamDrain);
    this.upstream = socket;
    if (this.upstreamPaused) socket.pause();
    if (this.browserPaused) this.onUpstreamDrain(); // the new socket's write buffer is empty
  }

  /** Mail server bytes to the browser. */
  toBrowser(chunk: Buffer): void {
    this.ws.send(chunk, { binary: true }, this.onSent);
    if (!this.upstreamPaused && this.ws.bufferedAmount > this.highWaterBytes) {
      this.upstreamPaused = true;
      this.upstream?.pause();
    }
  }

  /** Browser bytes to the mail server. */
  toServer(chunk: Buffer): void {
    const upstream = this.upstream;
    if (!upstream || upstream.destroyed) return;
    if (!upstream.write(chunk) && !this.browserPaused) {
      this.browserPaused = true;
      this.ws.pause();
      upstream.once('drain', this.onUpstreamDrain);
    }
  }

  /** Lets the browser's frames in again (so a close handshake can complete). */
  release(): void {
    if (this.browserPaused) this.onUpstreamDrain();
  }

  get paused(): { upstream: boolean; browser: boolean } {
    return { upstream: this.upstreamPaused, browser: this.browserPaused };
  }

  private readonly onSent = (error?: Error): void => {
    if (error || !this.upstreamPaused) return;
    if (this.ws.bufferedAmount <= this.highWaterBytes / 2) {
      this.upstreamPaused = false;
      this.upstream?.resume();
    }
  };

  private readonly onUpstreamDrain = (): void => {
    this.upstream?.off('drain', this.onUpstreamDrain);
    this.browserPaused = false;
    this.ws.resume();
  };
}
