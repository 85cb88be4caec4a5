import {
  openSession,
  Pop3ClosedError,
  Pop3UnsupportedError,
  type Credentials,
  type Pop3Client,
} from '@webpop/pop3';
import type { TlsInfo, Transport, TransportReceiver } from '@webpop/pop3';
import { connectWebSocketTransport, type WebSocketConstructor } from '@webpop/pop3/browser';
import WebSocket from 'ws';

/** The `ws` client presenting the Origin a browser on the bridge's own page would send. */
export function browserLikeWebSocket(origin: string): WebSocketConstructor {
  return class extends WebSocket {
    constructor(url: string) {
      super(url, { origin, perMessageDeflate: false });
    }
  } as unknown as WebSocketConstructor;
}

/** The engine through webpop's bridge (its wire protocol: connect, connected, binary frames). */
export async function sessionThroughBridge(
  bridge: { url: string; relayUrl: string },
  server: string,
  credentials: Credentials,
): Promise<Pop3Client> {
  const transport = await connectWebSocketTransport({
    url: bridge.relayUrl,
    target: { server },
    WebSocket: browserLikeWebSocket(bridge.url),
  });
  return openSession(transport, { security: transport.connected.security, credentials });
}

/**
 * A Transport over a bare binary WebSocket, as websockify relays it: no control frames, the TCP
 * connection to the target is made when the WebSocket opens, and its bytes are binary messages.
 */
class RawWebSocketTransport implements Transport {
  private receiver: TransportReceiver | undefined;
  private readonly early: Uint8Array[] = [];
  private ended: { error: Error | undefined } | undefined;
  readonly tls: TlsInfo | null = null;

  constructor(private readonly socket: WebSocket) {
    // As the bridge's transport receives them (binaryType "arraybuffer", as in browsers), so the
    // engine's side does the same work whichever relay is measured.
    socket.binaryType = 'arraybuffer';
    socket.addEventListener('message', (event) => {
      if (!(event.data instanceof ArrayBuffer)) return;
      const bytes = new Uint8Array(event.data);
      if (this.receiver) this.receiver.data(bytes);
      else this.early.push(bytes);
    });
    socket.on('close', (code: number) => {
      if (this.ended) return;
      this.ended = {
        error: code === 1000 ? undefined : new Pop3ClosedError(`the WebSocket closed (${code})`),
      };
      this.receiver?.closed(this.ended.error);
    });
    socket.on('error', () => {
      /* the close that follows says why (websockify, for one, closes with the invalid code 1005) */
    });
  }

  attach(receiver: TransportReceiver): void {
    this.receiver = receiver;
    for (const chunk of this.early.splice(0)) receiver.data(chunk);
    if (this.ended) receiver.closed(this.ended.error);
  }

  send(bytes: Uint8Array): void {
    if (this.socket.readyState === WebSocket.OPEN) this.socket.send(bytes, { binary: true });
  }

  startTls(): Promise<TlsInfo> {
    return Promise.reject(new Pop3UnsupportedError('no STLS through a plain websockify relay'));
  }

  close(): void {
    this.socket.close(1000);
  }
}

/** The engine through websockify (subprotocol `binary`), to a plain POP3 target. */
export async function sessionThroughWebsockify(url: string, credentials: Credentials): Promise<Pop3Client> {
  const socket = new WebSocket(url, ['binary'], { perMessageDeflate: false });
  // Listening from the start: the server's greeting may come in the same packet as the handshake.
  const transport = new RawWebSocketTransport(socket);
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
    socket.once('close', (code: number) => reject(new Error(`websockify closed the WebSocket (${code})`)));
  });
  return openSession(transport, { security: 'none', credentials });
}
