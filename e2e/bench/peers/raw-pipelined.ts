// The protocol's limit for listing: a bare socket client that sends every TOP at once (RFC 2449
// PIPELINING) and only counts the replies. No parsing beyond finding where each reply ends.
import { createHmac } from 'node:crypto';
import net from 'node:net';

/** A one-line reply, a multi-line one, or a SASL continuation (`+ challenge`). */
type Kind = 'single' | 'multi' | 'continuation';

const CRLF = Buffer.from('\r\n');
const TERMINATOR = Buffer.from('\r\n.\r\n');

/** Splits a byte stream into replies of the expected kinds, in order. */
class ReplyCounter {
  private buffer: Buffer = Buffer.alloc(0);
  private inBody = false;
  private waiters: Array<{ kind: Kind; resolve: (status: string) => void; reject: (e: Error) => void }> = [];
  private status = '';

  expect(kind: Kind): Promise<string> {
    return new Promise((resolve, reject) => {
      this.waiters.push({ kind, resolve, reject });
      this.drain();
    });
  }

  feed(chunk: Buffer): void {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    this.drain();
  }

  fail(error: Error): void {
    for (const waiter of this.waiters.splice(0)) waiter.reject(error);
  }

  private drain(): void {
    let pos = 0;
    while (this.waiters.length > 0) {
      const waiter = this.waiters[0]!;
      if (!this.inBody) {
        const end = this.buffer.indexOf(CRLF, pos);
        if (end < 0) break;
        this.status = this.buffer.toString('latin1', pos, end);
        pos = end + 2;
        const ok = this.status.startsWith('+OK');
        if (waiter.kind === 'continuation' ? ok || !this.status.startsWith('+') : !ok) {
          this.waiters.shift();
          waiter.reject(new Error(`the server answered ${this.status}`));
          continue;
        }
        if (waiter.kind !== 'multi') {
          this.waiters.shift();
          waiter.resolve(this.status);
          continue;
        }
        this.inBody = true;
      }
      // An empty body is just ".\r\n"; otherwise the body's last CRLF starts the terminator.
      let next = -1;
      if (this.buffer.length - pos >= 3 && this.buffer[pos] === 0x2e && this.buffer[pos + 1] === 0x0d)
        next = pos + 3;
      else {
        const found = this.buffer.indexOf(TERMINATOR, pos);
        if (found >= 0) next = found + TERMINATOR.length;
      }
      if (next < 0) break;
      pos = next;
      this.inBody = false;
      this.waiters.shift();
      waiter.resolve(this.status);
    }
    // Keep the unread rest (a body in progress is searched again; bounded by one reply).
    this.buffer = this.buffer.subarray(pos);
  }
}

/**
 * A socket to the server with Nagle off (each write leaves at once) and a reply counter fed by it; an
 * error or close fails every reply still expected.
 */
function connectCounted(target: { host: string; port: number }): {
  socket: net.Socket;
  counter: ReplyCounter;
} {
  const socket = net.connect(target.port, target.host);
  socket.setNoDelay(true);
  const counter = new ReplyCounter();
  socket.on('data', (chunk: Buffer) => counter.feed(chunk));
  socket.on('error', (error) => counter.fail(error));
  socket.on('close', () => counter.fail(new Error('the server closed the connection')));
  return { socket, counter };
}

/**
 * Logs in with USER/PASS and STAT in one write, then sends LIST, UIDL, TOP n 0 for every message and
 * QUIT in a second write, and waits for every reply. Returns the milliseconds from connecting to QUIT's
 * answer and the number of TOP replies.
 */
export async function rawPipelinedListing(
  target: { host: string; port: number },
  username: string,
  password: string,
): Promise<{ ms: number; headers: number }> {
  const started = performance.now();
  const { socket, counter } = connectCounted(target);
  try {
    await counter.expect('single');
    socket.write(`USER ${username}\r\nPASS ${password}\r\nSTAT\r\n`);
    const [, , stat] = await Promise.all([
      counter.expect('single'),
      counter.expect('single'),
      counter.expect('single'),
    ]);
    const count = Number(/^\+OK (\d+)/.exec(stat)?.[1]);
    if (!Number.isInteger(count)) throw new Error(`unexpected STAT answer ${stat}`);
    const commands = ['LIST', 'UIDL'];
    for (let number = count; number >= 1; number--) commands.push(`TOP ${number} 0`);
    commands.push('QUIT');
    socket.write(`${commands.join('\r\n')}\r\n`);
    const replies = [counter.expect('multi'), counter.expect('multi')];
    for (let i = 0; i < count; i++) replies.push(counter.expect('multi'));
    replies.push(counter.expect('single'));
    await Promise.all(replies);
    return { ms: performance.now() - started, headers: count };
  } finally {
    socket.destroy();
  }
}

/**
 * The protocol's minimum for the app's first row with its login (CRAM-MD5, what `auto` picks on a link
 * without TLS): greeting, CAPA (the mechanisms and PIPELINING), AUTH CRAM-MD5 and its challenge, the
 * response pipelined with STAT (RFC 2449: PIPELINING was announced), then `TOP <newest> 0`. Four round
 * trips after the greeting, nothing decoded. Returns the milliseconds from connecting to that TOP's end.
 */
export async function rawFirstHeader(
  target: { host: string; port: number },
  username: string,
  password: string,
): Promise<number> {
  const started = performance.now();
  const { socket, counter } = connectCounted(target);
  try {
    await counter.expect('single');
    socket.write('CAPA\r\n');
    await counter.expect('multi');
    socket.write('AUTH CRAM-MD5\r\n');
    const challenge = Buffer.from((await counter.expect('continuation')).replace(/^\+ ?/, ''), 'base64');
    const digest = createHmac('md5', password).update(challenge).digest('hex');
    socket.write(`${Buffer.from(`${username} ${digest}`).toString('base64')}\r\nSTAT\r\n`);
    const [, stat] = await Promise.all([counter.expect('single'), counter.expect('single')]);
    const count = Number(/^\+OK (\d+)/.exec(stat)?.[1]);
    if (!Number.isInteger(count) || count < 1) throw new Error(`unexpected STAT answer ${stat}`);
    socket.write(`TOP ${count} 0\r\n`);
    await counter.expect('multi');
    return performance.now() - started;
  } finally {
    socket.destroy();
  }
}
