// The browser transport's side of the bridge protocol, against a scripted bridge peer: what it does
// with each frame a bridge (or something pretending to be one) may send. The whole path through the
// real bridge to a real Dovecot is tested in apps/bridge.
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer, type WebSocket as ServerSocket } from 'ws';
import {
  connectWebSocketTransport,
  Pop3BridgeError,
  type WebSocketConstructor,
} from '../src/browser/index.js';
import { Pop3Client } from '../src/client.js';
import { Pop3ClosedError, Pop3ProtocolError, Pop3SecurityError } from '../src/errors.js';

let server: WebSocketServer | undefined;

afterEach(async () => {
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  server = undefined;
});

/** A bridge peer that runs `script` for each connection once the connect frame arrived. */
async function scriptedBridge(script: (socket: ServerSocket, connect: unknown) => void): Promise<string> {
  server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise((resolve) => server!.once('listening', resolve));
  server.on('connection', (socket) => {
    socket.once('message', (data) => script(socket, JSON.parse(String(data))));
  });
  const { port } = server.address() as { port: number };
  return `ws://127.0.0.1:${port}/pop3`;
}

const connect = (url: string) =>
  connectWebSocketTransport({
    url,
    target: { server: 'demo' },
    WebSocket: WebSocket as unknown as WebSocketConstructor,
  });

const connected = (security = 'none', tls: unknown = null) =>
  JSON.stringify({ type: 'connected', security, tls });

describe('WebSocket transport', () => {
  it('sends the connect frame, relays bytes both ways, and ends with 1000 after QUIT', async () => {
    let connectFrame: unknown;
    const url = await scriptedBridge((socket, frame) => {
      connectFrame = frame;
      socket.send(connected());
      socket.send(Buffer.from('+OK hello <1.2@x>\r\n'));
      socket.on('message', (data, isBinary) => {
        expect(isBinary).toBe(true);
        if (String(data) === 'QUIT\r\n') {
          socket.send(Buffer.from('+OK bye\r\n'));
          socket.close(1000);
        }
      });
    });
    const transport = await connect(url);
    expect(connectFrame).toEqual({ type: 'connect', server: 'demo' });
    expect(transport.connected).toEqual({ security: 'none', tls: null, service: 'pop3' });
    const client = await Pop3Client.connect(transport);
    expect(client.greeting.apopTimestamp).toBe('<1.2@x>');
    await client.quit();
  });

  it('reports the TLS details the bridge gives for implicit TLS', async () => {
    const tls = {
      protocol: 'TLSv1.3',
      cipher: 'TLS_AES_128_GCM_SHA256',
      authorized: true,
      subject: 'CN=localhost',
    };
    const url = await scriptedBridge((socket) => socket.send(connected('tls', tls)));
    const transport = await connect(url);
    expect(transport.tls).toMatchObject(tls);
    transport.close();
  });

  it('turns an error frame and its close into a Pop3BridgeError with both codes', async () => {
    const url = await scriptedBridge((socket) => {
      socket.send(
        JSON.stringify({ type: 'error', code: 'target_denied', message: 'server "x" is not configured' }),
      );
      socket.close(4003, 'denied');
    });
    const error = await connect(url).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Pop3BridgeError);
    expect(error).toMatchObject({
      code: 'target_denied',
      bridgeMessage: 'server "x" is not configured',
      closeCode: 4003,
    });
  });

  it('gives the engine the bridge error when the relay ends mid-session', async () => {
    const url = await scriptedBridge((socket) => {
      socket.send(connected());
      socket.send(Buffer.from('+OK hi\r\n'));
      socket.on('message', () => {
        socket.send(
          JSON.stringify({ type: 'error', code: 'upstream_closed', message: 'the mail server closed' }),
        );
        socket.close(4502);
      });
    });
    const client = await Pop3Client.connect(await connect(url));
    const error = await client.noop().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Pop3ClosedError);
    expect((error as Error).cause).toBeInstanceOf(Pop3BridgeError);
    expect((error as Error).cause).toMatchObject({ code: 'upstream_closed', closeCode: 4502 });
  });

  it('refuses data before the connected frame', async () => {
    const url = await scriptedBridge((socket) => socket.send(Buffer.from('+OK too early\r\n')));
    await expect(connect(url)).rejects.toBeInstanceOf(Pop3ProtocolError);
  });

  it('refuses a control frame that is not one of the protocol', async () => {
    const url = await scriptedBridge((socket) => socket.send('{"type":"surprise"}'));
    await expect(connect(url)).rejects.toThrow(/control frame/);
  });

  it('refuses bytes between the STLS request and the tls frame (injection)', async () => {
    const url = await scriptedBridge((socket) => {
      socket.send(connected('starttls'));
      socket.on('message', (data, isBinary) => {
        if (!isBinary && String(data).includes('starttls')) socket.send(Buffer.from('+OK injected\r\n'));
      });
    });
    const transport = await connect(url);
    transport.attach({ data: () => {}, closed: () => {} });
    await expect(transport.startTls()).rejects.toBeInstanceOf(Pop3SecurityError);
  });

  it('STLS through the bridge: sends the starttls frame once and takes the tls frame', async () => {
    const url = await scriptedBridge((socket) => {
      socket.send(connected('starttls'));
      socket.on('message', (data, isBinary) => {
        if (!isBinary)
          socket.send(
            JSON.stringify({ type: 'tls', tls: { protocol: 'TLSv1.3', cipher: 'x', authorized: true } }),
          );
      });
    });
    const transport = await connect(url);
    const info = await transport.startTls();
    expect(info).toMatchObject({ protocol: 'TLSv1.3', authorized: true });
    expect(transport.tls).toBe(info);
    await expect(transport.startTls()).rejects.toThrow(/already/);
    transport.close();
  });

  it('a bridge that closes before connecting is a clear error', async () => {
    const url = await scriptedBridge((socket) => socket.terminate());
    const error = await connect(url).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Pop3ClosedError);
  });
});

describe('WebSocket transport backpressure (drained)', () => {
  /** A bridge peer whose side stops reading once connected, until `resume()`. */
  async function pausedBridge() {
    let resume: () => void = () => undefined;
    let terminate: () => void = () => undefined;
    let received = 0;
    const url = await scriptedBridge((socket) => {
      terminate = () => socket.terminate();
      socket.send(connected());
      socket.on('message', (data: Buffer) => (received += data.length));
      const raw = (socket as unknown as { _socket: { pause(): void; resume(): void } })._socket;
      raw.pause();
      resume = () => raw.resume();
    });
    const transport = await connect(url);
    return { transport, resume: () => resume(), terminate: () => terminate(), received: () => received };
  }

  it('resolves at once with nothing queued; holds while the bridge takes nothing; resolves once it does', async () => {
    const { transport, resume, received } = await pausedBridge();
    expect(transport.drained!()).toBeUndefined(); // nothing queued: nothing to wait for
    transport.send(new Uint8Array(16 * 1024 * 1024));
    let taken = false;
    const waiting = transport.drained!();
    expect(waiting).toBeInstanceOf(Promise);
    const drained = waiting!.then(() => (taken = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(taken).toBe(false);
    resume();
    await drained;
    transport.close();
    await expect.poll(received).toBe(16 * 1024 * 1024);
  });

  it('rejects as closed when the link ends while writes are queued', async () => {
    const { transport, terminate } = await pausedBridge();
    transport.send(new Uint8Array(16 * 1024 * 1024));
    const drained = transport.drained!();
    terminate(); // the bridge goes away (its close handshake cannot pass a peer that reads nothing)
    await expect(drained).rejects.toBeInstanceOf(Pop3ClosedError);
  });
});
