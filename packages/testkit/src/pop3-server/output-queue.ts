import type { Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

const CHUNK_BYTES = 64 * 1024;

/**
 * Writes to the (replaceable, after STLS) socket strictly in order, waiting for 'drain' whenever
 * socket.write() returns false, optionally throttled, optionally cut short to simulate a drop.
 */
export class OutputQueue {
  private tail: Promise<void> = Promise.resolve();
  private bytesUntilDestroy: number | undefined;

  constructor(
    private socket: Socket,
    private readonly bytesPerSecond: number | undefined,
  ) {}

  setSocket(socket: Socket): void {
    this.socket = socket;
  }

  /** Resolves once this data (and everything queued before it) has been handed to the socket. */
  write(data: Uint8Array | string): Promise<void> {
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    this.tail = this.tail.then(() => this.send(bytes)).catch(() => undefined);
    return this.tail;
  }

  /** Resolves once everything queued so far has left the socket's user-space buffer (needed before STLS). */
  flushed(): Promise<void> {
    this.tail = this.tail.then(() => {
      const socket = this.socket;
      if (socket.destroyed || socket.writableLength === 0) return;
      return new Promise<void>((resolve) => {
        socket.write(Buffer.alloc(0), () => resolve());
      });
    });
    return this.tail;
  }

  /** Resolves when everything queued so far has been written. */
  idle(): Promise<void> {
    return this.tail;
  }

  /** Lets through this many more bytes, then closes the socket (earlier replies are delivered in full). */
  destroyAfter(bytes: number): void {
    this.bytesUntilDestroy = Math.max(0, bytes);
    if (this.bytesUntilDestroy === 0) this.closeAfterFlush();
  }

  private closeAfterFlush(): void {
    const socket = this.socket;
    socket.end(() => socket.destroy());
  }

  private async send(bytes: Uint8Array): Promise<void> {
    const chunkBytes = this.bytesPerSecond ? Math.max(1, Math.ceil(this.bytesPerSecond / 10)) : CHUNK_BYTES;
    for (let offset = 0; offset < bytes.length; offset += chunkBytes) {
      if (this.socket.destroyed || this.socket.writableEnded) return;
      let chunk = bytes.subarray(offset, offset + chunkBytes);
      if (this.bytesUntilDestroy !== undefined) {
        chunk = chunk.subarray(0, this.bytesUntilDestroy);
        this.bytesUntilDestroy -= chunk.length;
      }
      if (chunk.length > 0 && !this.socket.write(chunk)) await drained(this.socket);
      if (this.bytesUntilDestroy === 0) {
        this.closeAfterFlush();
        return;
      }
      if (this.bytesPerSecond) await sleep((chunk.length / this.bytesPerSecond) * 1000);
    }
  }
}

function drained(socket: Socket): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      socket.off('drain', done);
      socket.off('close', done);
      resolve();
    };
    socket.on('drain', done);
    socket.on('close', done);
  });
}
