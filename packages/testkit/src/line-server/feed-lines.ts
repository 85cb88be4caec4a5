import type { Socket } from 'node:net';
import { TLSSocket } from 'node:tls';
import type { LineReader } from '../pop3-server/line-reader.js';
import type { OutputQueue } from '../pop3-server/output-queue.js';

export interface SocketTracker {
  /** Called whenever a session's socket changes (STLS, STARTTLS), so the server can destroy it on close. */
  trackSocket(socket: Socket): void;
}

/**
 * Feeds the socket's bytes into a session's line reader (its end, close or error ends the reader);
 * returns a function that stops reading from it, for the switch to TLS.
 */
export function feedLines(socket: Socket, reader: LineReader, env: SocketTracker): () => void {
  env.trackSocket(socket);
  const onData = (chunk: Buffer): void => reader.push(chunk);
  const onEnd = (): void => reader.end();
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

/**
 * A session's socket, read line by line into its reader, and the server side of an in-session TLS
 * upgrade (STLS, STARTTLS): after `startTls` the session reads and writes TLS over the plain socket;
 * closing the TLS socket closes both.
 */
export class LineLink {
  private current: Socket;
  private detach: () => void;

  constructor(
    socket: Socket,
    private readonly reader: LineReader,
    private readonly out: OutputQueue,
    private readonly env: SocketTracker,
  ) {
    this.current = socket;
    this.detach = feedLines(socket, reader, env);
  }

  get socket(): Socket {
    return this.current;
  }

  startTls(tls: { readonly key: string | Buffer; readonly cert: string | Buffer }): void {
    const plain = this.current;
    this.detach();
    const secure = new TLSSocket(plain, { isServer: true, key: tls.key, cert: tls.cert });
    secure.once('close', () => plain.destroy());
    this.out.setSocket(secure);
    this.current = secure;
    this.detach = feedLines(secure, this.reader, this.env);
  }
}
