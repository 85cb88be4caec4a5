import type { Socket } from 'node:net';
import { clientKey } from './address.js';

interface Pending {
  readonly key: string;
  readonly timer: NodeJS.Timeout;
}

/**
 * Bounds connections that have not yet sent a complete HTTP request (a WebSocket upgrade or a page):
 * each gets `seconds` to do so, one client key (an IPv4 address or an IPv6 /64, as the relay limits
 * count) may hold at most `perPeer` of them (except trusted proxies, which only forward complete
 * requests), and all peers together `total`. Without this, a client that opens TCP connections and
 * never finishes the handshake would hold them, and their memory, for as long as it likes: Node's HTTP
 * server does not time out a silent new connection.
 *
 * When the total is reached, the connection that has waited longest is closed to make room, instead
 * of refusing the new one: a flood of silent connections from many addresses then only shortens how
 * long each may stay silent, and a client that sends its request at once (a health check, a page) is
 * still answered.
 */
export class HandshakeGuard {
  /** In admission order, so the first entry is the one that has waited longest. */
  private readonly pending = new Map<Socket, Pending>();
  private readonly watched = new WeakSet<Socket>();
  private readonly perKey = new Map<string, number>();

  constructor(
    private readonly seconds: number,
    private readonly perPeer: number,
    private readonly total: number,
    private readonly exempt: (peer: string) => boolean,
  ) {}

  /** Connections waiting for their request right now. */
  get waiting(): number {
    return this.pending.size;
  }

  /** A new connection (or a kept-alive one waiting for its next request); over its key's limit it is closed. */
  admit(socket: Socket): void {
    if (this.pending.has(socket) || socket.destroyed) return;
    const peer = socket.remoteAddress ?? 'unknown';
    const key = clientKey(peer);
    const mine = this.perKey.get(key) ?? 0;
    if (mine >= this.perPeer && !this.exempt(peer)) {
      socket.destroy();
      return;
    }
    if (this.pending.size >= this.total) this.evictOldest();
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
    const mine = (this.perKey.get(entry.key) ?? 1) - 1;
    if (mine <= 0) this.perKey.delete(entry.key);
    else this.perKey.set(entry.key, mine);
  }

  private evictOldest(): void {
    const oldest = this.pending.keys().next();
    if (oldest.done) return;
    this.done(oldest.value);
    oldest.value.destroy();
  }
}
