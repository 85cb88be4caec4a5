import { WebSocket, type ClientOptions } from 'ws';

export interface ControlFrame {
  readonly type: string;
  readonly [key: string]: unknown;
}

export interface Closed {
  readonly code: number;
  readonly reason: string;
}

/**
 * A raw client of the bridge protocol over the `ws` package: control frames as parsed JSON, binary
 * frames gathered into one byte stream with POP3 line helpers.
 */
export class RelayClient {
  readonly closed: Promise<Closed>;
  /** Every control frame in order of arrival. */
  readonly controls: ControlFrame[] = [];
  private bytes = Buffer.alloc(0);
  /** When set, binary frames go here instead of the line buffer (for transfers too big to gather). */
  divert: ((chunk: Buffer) => void) | undefined;
  private waiters: Array<() => void> = [];
  private ended = false;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data: Buffer, isBinary) => {
      if (isBinary && this.divert) this.divert(data);
      else if (isBinary) this.bytes = Buffer.concat([this.bytes, data]);
      else this.controls.push(JSON.parse(data.toString('utf8')) as ControlFrame);
      this.wake();
    });
    this.closed = new Promise((resolve) => {
      ws.on('close', (code, reason) => {
        this.ended = true;
        this.wake();
        resolve({ code, reason: reason.toString('utf8') });
      });
    });
    ws.on('error', () => undefined);
  }

  /**
   * Asks for an upgrade the bridge is expected to refuse before upgrading: resolves with the HTTP
   * status and body it answered with; rejects if the WebSocket opened instead.
   */
  static refusedUpgrade(
    url: string,
    options: Omit<ClientOptions, 'origin'> & { origin?: string | null } = {},
  ): Promise<{ status: number; body: string }> {
    const { origin: wanted, ...rest } = options;
    const own = new URL(url);
    const origin =
      wanted === null ? undefined : (wanted ?? `${own.protocol === 'wss:' ? 'https' : 'http'}://${own.host}`);
    const ws = new WebSocket(url, { ...rest, ...(origin !== undefined ? { origin } : {}) });
    return new Promise((resolve, reject) => {
      ws.once('open', () => {
        ws.terminate();
        reject(new Error('the WebSocket was upgraded'));
      });
      ws.once('unexpected-response', (_request, response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (body += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
      });
      ws.on('error', (error) => reject(error));
    });
  }

  /** Opens the WebSocket; `origin` defaults to the URL's own (http/https for ws/wss). */
  static async open(
    url: string,
    options: Omit<ClientOptions, 'origin'> & { origin?: string | null } = {},
  ): Promise<RelayClient> {
    const { origin: wanted, ...rest } = options;
    const own = new URL(url);
    const origin =
      wanted === null ? undefined : (wanted ?? `${own.protocol === 'wss:' ? 'https' : 'http'}://${own.host}`);
    const ws = new WebSocket(url, { ...rest, ...(origin !== undefined ? { origin } : {}) });
    const client = new RelayClient(ws);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    return client;
  }

  /** Opens, sends the connect frame and waits for `connected`. */
  static async connect(url: string, target: object, options: ClientOptions & { origin?: string } = {}) {
    const client = await RelayClient.open(url, options);
    client.sendControl({ type: 'connect', ...target });
    const frame = await client.nextControl();
    if (frame.type !== 'connected') throw new Error(`expected connected, got ${JSON.stringify(frame)}`);
    return { client, connected: frame };
  }

  sendControl(frame: object | string): void {
    this.ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  sendBytes(bytes: Buffer | string): void {
    this.ws.send(typeof bytes === 'string' ? Buffer.from(bytes) : bytes, { binary: true });
  }

  /** Sends one POP3 command line. */
  command(line: string): void {
    this.sendBytes(`${line}\r\n`);
  }

  /** The next control frame not yet taken. */
  async nextControl(timeoutMs = 10_000): Promise<ControlFrame> {
    await this.until(() => this.controlIndex < this.controls.length, timeoutMs, 'a control frame');
    return this.controls[this.controlIndex++] as ControlFrame;
  }

  private controlIndex = 0;

  /** One CRLF-terminated line of the byte stream, without the CRLF. */
  async line(timeoutMs = 10_000): Promise<string> {
    await this.until(() => this.bytes.includes('\r\n'), timeoutMs, 'a line');
    const end = this.bytes.indexOf('\r\n');
    const line = this.bytes.subarray(0, end).toString('latin1');
    this.bytes = this.bytes.subarray(end + 2);
    return line;
  }

  /** A multi-line reply's body as sent (dot-stuffed), up to and without the ".\r\n" terminator. */
  async multiline(timeoutMs = 30_000): Promise<Buffer> {
    const terminator = () =>
      this.bytes.subarray(0, 3).equals(Buffer.from('.\r\n')) ? 0 : this.bytes.indexOf('\r\n.\r\n');
    await this.until(() => terminator() !== -1, timeoutMs, 'a multi-line reply');
    const at = terminator();
    const body = this.bytes.subarray(0, at === 0 ? 0 : at + 2);
    this.bytes = this.bytes.subarray(at === 0 ? 3 : at + 5);
    return Buffer.from(body);
  }

  /** Waits for the error frame and the close that follows it. */
  async refusal(timeoutMs = 10_000): Promise<{ code: unknown; message: unknown; closeCode: number }> {
    const frame = await this.nextControl(timeoutMs);
    if (frame.type !== 'error') throw new Error(`expected an error frame, got ${JSON.stringify(frame)}`);
    const closed = await this.closed;
    return { code: frame.code, message: frame.message, closeCode: closed.code };
  }

  close(code = 1000): void {
    this.ws.close(code);
  }

  private wake(): void {
    for (const waiter of this.waiters.splice(0)) waiter();
  }

  private async until(ready: () => boolean, timeoutMs: number, what: string): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!ready()) {
      if (this.ended) throw new Error(`the WebSocket closed while waiting for ${what}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }
}
