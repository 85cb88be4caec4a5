import type { Socket } from 'node:net';

interface Pending {
  readonly key: string;
  readonly timer: NodeJS.Timeout;
}

/**
 * Bounds connections that have not yet sent a complete HTTP request (a WebSocket upgrade or a page):
 * each gets `seconds` to do so, one peer address may hold at most `perPeer` of them (except trusted
 * proxies, which only forward complete requests), and all peers together `total`. Without this, a
 * client that opens TCP connections and never finishes the handshake would hold them, and their
 * memory, for as long as it likes: Node's HTTP server does not time out a silent new connection.
 */
export class HandshakeGuard {
  private readonly pending = new WeakMap<Socket, Pending>();
  private readonly watched = new WeakSet<Socket>();
  private readonly perKey = new Map<string, number>();
  private count = 0;

  constructor(
    private readonly seconds: number,
    private readonly perPeer: number,
    private readonly total: number,
    private readonly exempt: (peer: string) => boolean,
  ) {}

  /** Connections waiting for their request right now. */
  get waiting(): number {
    return this.count;
  }

  /** A new connection (or a kept-alive one waiting for its next request): refused at once over the limits. */
  admit(socket: Socket): void {
    if (this.pending.has(socket) || socket.destroyed) return;
    const key = socket.remoteAddress ?? 'unknown';
    const mine = this.perKey.get(key) ?? 0;
    if (this.count >= this.total || (mine >= this.perPeer && !this.exempt(key))) {
      socket.destroy();
      return;
    }
    this.count++;
    this.perKey.set(key, mine + 1);
    const timer = setTimeout(() => socket.destroy(), this.seconds * 1000).unref();
    this.pending.set(socket, { key, timer });
    if (!this.watched.has(socket)) {
      this.watched.add(socket);
      socket.once('close', () => this.done(socket));
    }
  }

  /** The connection's request is complete (or it closed): its time limit and its place are released. */
  done(socket: Socket): void {
    const entry = this.pending.get(socket);
    if (!entry) return;
    this.pending.delete(socket);
    clearTimeout(entry.timer);
    this.count--;
    const mine = (this.perKey.get(entry.key) ?? 1) - 1;
    if (mine <= 0) this.perKey.delete(entry.key);
    else this.perKey.set(entry.key, mine);
  }
}
