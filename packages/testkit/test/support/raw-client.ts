import net from 'node:net';
import tls from 'node:tls';

const DEFAULT_TIMEOUT_MS = 5_000;

export interface TlsOptions {
  ca: string;
  servername?: string;
}

/** A deliberately dumb POP3 client for tests: raw bytes in, lines out, with timeouts everywhere. */
export class RawClient {
  private buffer = Buffer.alloc(0);
  private ended = false;
  private notify: (() => void) | undefined;
  private readonly onData = (chunk: Buffer): void => {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    this.wake();
  };
  private readonly onEnd = (): void => {
    this.ended = true;
    this.wake();
  };

  private constructor(private socket: net.Socket) {
    this.listen(socket);
  }

  static async connect(port: number, options: { host?: string; tls?: TlsOptions } = {}): Promise<RawClient> {
    const host = options.host ?? '127.0.0.1';
    const socket = options.tls
      ? tls.connect({ host, port, ca: options.tls.ca, servername: options.tls.servername ?? 'localhost' })
      : net.connect({ host, port });
    await new Promise<void>((resolve, reject) => {
      socket.once(options.tls ? 'secureConnect' : 'connect', () => resolve());
      socket.once('error', reject);
    });
    return new RawClient(socket);
  }

  get isEncrypted(): boolean {
    return this.socket instanceof tls.TLSSocket && this.socket.encrypted;
  }

  send(data: string | Uint8Array): void {
    this.socket.write(data);
  }

  /** Sends one command line and reads the status line. */
  async command(line: string): Promise<string> {
    this.send(`${line}\r\n`);
    return this.readLine();
  }

  /** Sends a command and reads the status line plus, on +OK, the multi-line body (dot-unstuffed). */
  async multiline(line: string): Promise<{ status: string; body: Buffer }> {
    this.send(`${line}\r\n`);
    const status = await this.readLine();
    if (!status.startsWith('+OK')) return { status, body: Buffer.alloc(0) };
    return { status, body: await this.readMultilineBody() };
  }

  async readLine(timeoutMs = DEFAULT_TIMEOUT_MS): Promise<string> {
    const end = await this.waitFor((buffer) => {
      const index = buffer.indexOf('\r\n');
      return index === -1 ? undefined : index;
    }, timeoutMs);
    const line = this.buffer.subarray(0, end).toString('utf8');
    this.buffer = this.buffer.subarray(end + 2);
    return line;
  }

  /** Reads up to the ".\r\n" terminator and undoes dot-stuffing; the result ends with CRLF unless empty. */
  async readMultilineBody(timeoutMs = DEFAULT_TIMEOUT_MS): Promise<Buffer> {
    const raw = await this.readUntilTerminator(timeoutMs);
    return unstuff(raw.subarray(0, raw.length - 3));
  }

  /** The raw multi-line body as sent, still dot-stuffed, including the ".\r\n" terminator. */
  async readUntilTerminator(timeoutMs = DEFAULT_TIMEOUT_MS): Promise<Buffer> {
    const end = await this.waitFor((buffer) => {
      if (buffer.subarray(0, 3).equals(Buffer.from('.\r\n'))) return 3;
      const index = buffer.indexOf('\r\n.\r\n');
      return index === -1 ? undefined : index + 5;
    }, timeoutMs);
    const raw = this.buffer.subarray(0, end);
    this.buffer = this.buffer.subarray(end);
    return raw;
  }

  /** Everything received until the server closes the connection. */
  async readUntilClosed(timeoutMs = DEFAULT_TIMEOUT_MS): Promise<Buffer> {
    await this.waitFor(() => (this.ended ? 0 : undefined), timeoutMs);
    const all = this.buffer;
    this.buffer = Buffer.alloc(0);
    return all;
  }

  /** Bytes received so far and not yet read. */
  takeBuffered(): Buffer {
    const all = this.buffer;
    this.buffer = Buffer.alloc(0);
    return all;
  }

  /** Resolves true if the server closes the connection within the time, false otherwise. */
  async closesWithin(timeoutMs: number): Promise<boolean> {
    try {
      await this.waitFor(() => (this.ended ? 0 : undefined), timeoutMs);
      return true;
    } catch {
      return false;
    }
  }

  /** Starts TLS on the existing connection (after +OK to STLS). */
  async upgradeToTls(options: TlsOptions): Promise<void> {
    this.socket.off('data', this.onData);
    this.socket.off('end', this.onEnd);
    this.socket.off('close', this.onEnd);
    const secure = tls.connect({
      socket: this.socket,
      ca: options.ca,
      servername: options.servername ?? 'localhost',
    });
    await new Promise<void>((resolve, reject) => {
      secure.once('secureConnect', () => resolve());
      secure.once('error', reject);
    });
    this.socket = secure;
    this.listen(secure);
  }

  close(): void {
    this.socket.destroy();
  }

  private listen(socket: net.Socket): void {
    socket.on('data', this.onData);
    socket.on('end', this.onEnd);
    socket.on('close', this.onEnd);
    socket.on('error', this.onEnd);
  }

  private wake(): void {
    const notify = this.notify;
    this.notify = undefined;
    notify?.();
  }

  private async waitFor(find: (buffer: Buffer) => number | undefined, timeoutMs: number): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    while (true) {
      const found = find(this.buffer);
      if (found !== undefined) return found;
      if (this.ended)
        throw new Error(
          `connection closed; unread: ${JSON.stringify(this.buffer.toString('latin1').slice(0, 200))}`,
        );
      const remaining = deadline - Date.now();
      if (remaining <= 0)
        throw new Error(`timed out; unread: ${JSON.stringify(this.buffer.toString('latin1').slice(0, 200))}`);
      if (this.notify)
        throw new Error('RawClient does not support concurrent reads; await each reply in turn');
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, remaining);
        this.notify = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }
}

function unstuff(data: Buffer): Buffer {
  const lines = data.toString('latin1').split('\r\n');
  return Buffer.from(
    lines.map((line) => (line.startsWith('.') ? line.slice(1) : line)).join('\r\n'),
    'latin1',
  );
}
