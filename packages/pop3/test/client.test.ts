import { describe, expect, it, vi } from 'vitest';
import { Pop3Client } from '../src/client.js';
import { openSession } from '../src/session.js';
import {
  Pop3AbortError,
  Pop3ClosedError,
  Pop3LoginError,
  Pop3ProtocolError,
  Pop3SecurityError,
  Pop3ServerError,
  Pop3TimeoutError,
  Pop3UnsupportedError,
} from '../src/errors.js';
import type { LogEntry } from '../src/connection.js';
import { limits } from '../src/limits.js';
import { ScriptedTransport, multiline, type Answer } from './support/scripted-transport.js';

const text = (bytes: Uint8Array) => Buffer.from(bytes).toString('latin1');

const messages = [
  'Subject: one\r\n\r\nfirst body\r\n',
  'Subject: two\r\n\r\n.dotted line\r\nsecond\r\n',
  'Subject: three\r\n\r\nthird\r\n',
];

/** A well-behaved server with three messages; `override` changes single answers. */
function server(
  capa: string[] | null,
  override: (line: string) => Answer | Answer[] | undefined = () => undefined,
) {
  return (line: string): Answer | Answer[] => {
    const custom = override(line);
    if (custom !== undefined) return custom;
    const [command, ...args] = line.split(' ');
    const n = Number(args[0]);
    switch (command!.toUpperCase()) {
      case 'CAPA':
        return capa ? multiline(capa.join('\r\n')) : '-ERR unknown command\r\n';
      case 'USER':
        return '+OK\r\n';
      case 'PASS':
        return args[0] === 'right' ? '+OK logged in\r\n' : '-ERR [AUTH] Authentication failed.\r\n';
      case 'STAT':
        return `+OK ${messages.length} 100\r\n`;
      case 'LIST':
        return multiline(messages.map((m, i) => `${i + 1} ${m.length}`).join('\r\n'));
      case 'UIDL':
        return capa?.includes('UIDL')
          ? multiline(messages.map((_, i) => `${i + 1} uid-${i + 1}`).join('\r\n'))
          : '-ERR\r\n';
      case 'TOP':
        return multiline(messages[n - 1]!.split('\r\n\r\n')[0] + '\r\n\r\n');
      case 'RETR':
        return messages[n - 1] ? multiline(messages[n - 1]!) : '-ERR no such message\r\n';
      case 'DELE':
      case 'RSET':
      case 'NOOP':
        return '+OK\r\n';
      case 'QUIT':
        return ['+OK bye\r\n', { close: true }];
      case 'STLS':
        return '+OK begin TLS\r\n';
      default:
        return '-ERR unknown command\r\n';
    }
  };
}

const fullCapa = ['TOP', 'UIDL', 'USER', 'PIPELINING', 'RESP-CODES', 'SASL PLAIN', 'STLS'];

async function loggedIn(transport: ScriptedTransport, options = {}) {
  const client = await Pop3Client.connect(transport, options);
  await client.login({ username: 'alice', password: 'right', method: 'user', allowPlaintext: true });
  return client;
}

describe('Pop3Client', () => {
  for (const chunkSize of [1, 2, 3, 7, 64, Infinity]) {
    it(`runs a whole session with replies in chunks of ${chunkSize} bytes`, async () => {
      const transport = new ScriptedTransport('+OK ready <1.2@host>\r\n', server(fullCapa), chunkSize);
      const client = await loggedIn(transport);
      expect(client.greeting.apopTimestamp).toBe('<1.2@host>');
      expect(await client.stat()).toEqual({ count: 3, size: 100 });
      expect(await client.messages()).toEqual(
        messages.map((m, i) => ({ number: i + 1, size: m.length, uid: `uid-${i + 1}` })),
      );
      expect(text(await client.retr(2))).toBe(messages[1]);
      expect(text(await client.top(1, 0))).toBe('Subject: one\r\n\r\n');
      await client.dele(1);
      await client.rset();
      await client.noop();
      await client.quit();
      expect(client.state).toBe('ended');
    });
  }

  it('reads a greeting that was already waiting when the client attached', async () => {
    const transport = new ScriptedTransport('', server(fullCapa));
    const attach = transport.attach.bind(transport);
    transport.attach = (receiver) => {
      receiver.data(new Uint8Array(Buffer.from('+OK early <9@x>\r\n')));
      attach(receiver);
    };
    const client = await Pop3Client.connect(transport);
    expect(client.greeting.text).toBe('early <9@x>');
    await client.quit();
  });

  it('pipelines TOP commands when the server advertises PIPELINING', async () => {
    const transport = new ScriptedTransport('+OK\r\n', server(fullCapa));
    const client = await loggedIn(transport);
    const seen: number[] = [];
    const result = await client.fetchEach({
      numbers: [3, 2, 1],
      topLines: 0,
      onMessage: (n) => seen.push(n),
    });
    expect(result.failures).toEqual([]);
    expect(seen).toEqual([3, 2, 1]);
    expect(transport.writes.find((lines) => lines[0] === 'TOP 3 0')).toEqual([
      'TOP 3 0',
      'TOP 2 0',
      'TOP 1 0',
    ]);
  });

  it('keeps at most keepBytes of each listed TOP reply (64 KiB by default) and counts the rest', async () => {
    // A 1 MiB folded From: (issue 22): the engine reads it off the wire but holds only its start.
    const huge = `From: ${'a,\r\n '.repeat(256 * 1024)}a\r\nSubject: huge\r\n\r\n`;
    const transport = new ScriptedTransport(
      '+OK\r\n',
      server(fullCapa, (line) => (line === 'TOP 2 0' ? multiline(huge) : undefined)),
    );
    const client = await loggedIn(transport);
    const got = new Map<number, { kept: number; received: number }>();
    const onMessage = (n: number, bytes: Uint8Array, received: number) =>
      got.set(n, { kept: bytes.length, received });
    await client.fetchEach({ numbers: [1, 2], topLines: 0, onMessage });
    const small = messages[0]!.split('\r\n\r\n')[0]!.length + 4;
    expect(got.get(1)).toEqual({ kept: small, received: small });
    expect(got.get(2)).toEqual({ kept: limits.fetchEachTopKeepBytes, received: huge.length });
    await client.fetchEach({ numbers: [2], topLines: 0, keepBytes: 100, onMessage });
    expect(got.get(2)).toEqual({ kept: 100, received: huge.length });
    expect((await client.top(2, 0, { keepBytes: 10 })).length).toBe(10);
    expect((await client.top(2, 0)).length).toBe(huge.length);
  });

  it('with PIPELINING, does not wait for the capabilities after login: the next command goes out at once', async () => {
    let loggedInYet = false;
    const transport = new ScriptedTransport(
      '+OK\r\n',
      server(fullCapa, (line) => {
        if (line === 'PASS right') loggedInYet = true;
        // The server is slow after login: nothing is answered until the test says so.
        return loggedInYet && line !== 'PASS right' ? { silence: true } : undefined;
      }),
    );
    const client = await loggedIn(transport);
    const stat = client.stat();
    await transport.settled();
    expect(transport.sent.slice(-2)).toEqual(['CAPA', 'STAT']);
    transport.push(multiline([...fullCapa, 'IMPLEMENTATION after-login'].join('\r\n')));
    transport.push('+OK 3 100\r\n');
    expect(await stat).toEqual({ count: 3, size: 100 });
    expect(client.capabilities?.implementation).toBe('after-login');
  });

  it('settledCapabilities() resolves once the CAPA after login is answered', async () => {
    let answered = false;
    const transport = new ScriptedTransport(
      '+OK\r\n',
      server(fullCapa, (line) => {
        if (line === 'PASS right') answered = true;
        return answered && line === 'CAPA' ? { silence: true } : undefined;
      }),
    );
    const client = await loggedIn(transport);
    let settled: string | undefined;
    const waiting = client.settledCapabilities().then((caps) => (settled = caps?.implementation));
    await transport.settled();
    expect(settled).toBeUndefined();
    transport.push(multiline([...fullCapa, 'IMPLEMENTATION after-login'].join('\r\n')));
    await waiting;
    expect(settled).toBe('after-login');
  });

  it('without PIPELINING, waits for the capabilities after login', async () => {
    const transport = new ScriptedTransport('+OK\r\n', server(['TOP', 'UIDL', 'USER']));
    const client = await loggedIn(transport);
    expect(transport.sent.filter((line) => line === 'CAPA')).toHaveLength(2);
    await client.stat();
    expect(transport.writes.at(-1)).toEqual(['STAT']);
  });

  it('sends one command at a time without PIPELINING', async () => {
    const transport = new ScriptedTransport('+OK\r\n', server(['TOP', 'UIDL', 'USER']));
    const client = await loggedIn(transport);
    await client.fetchEach({ numbers: [1, 2, 3], topLines: 0, onMessage: () => {} });
    for (const write of transport.writes) expect(write.length).toBeLessThanOrEqual(1);
  });

  it('keeps at most the pipeline window in flight and refills it as replies arrive', async () => {
    let holdReplies = true;
    const reply = multiline('Subject: x\r\n\r\n');
    const transport = new ScriptedTransport('+OK\r\n', (line) => {
      if (!line.startsWith('TOP')) return server(fullCapa)(line);
      return holdReplies ? { silence: true } : reply;
    });
    const client = await loggedIn(transport);
    const tops = () => transport.sent.filter((l) => l.startsWith('TOP')).length;
    let count = 0;
    const window = limits.pipelineWindow;
    const done = client.fetchEach({
      numbers: Array.from({ length: window + 150 }, (_, i) => i + 1),
      topLines: 0,
      onMessage: () => count++,
    });
    await transport.settled();
    expect(tops()).toBe(window);
    transport.push(reply);
    await transport.settled();
    expect(tops()).toBe(window + 1);
    holdReplies = false;
    for (let i = 0; i < window; i++) transport.push(reply);
    await done;
    expect(count).toBe(window + 150);
  });

  it('reports a message the server refuses and goes on with the rest', async () => {
    const transport = new ScriptedTransport(
      '+OK\r\n',
      server(fullCapa, (line) => (line === 'RETR 2' ? '-ERR [SYS/PERM] gone\r\n' : undefined)),
    );
    const client = await loggedIn(transport);
    const got: number[] = [];
    const { failures } = await client.fetchEach({ numbers: [1, 2, 3], onMessage: (n) => got.push(n) });
    expect(got).toEqual([1, 3]);
    expect(failures).toHaveLength(1);
    expect(failures[0]!.error).toMatchObject({ command: 'RETR 2', code: 'SYS/PERM', serverText: 'gone' });
  });

  it('falls back from TOP to RETR on a server without CAPA and says so', async () => {
    const transport = new ScriptedTransport(
      '+OK\r\n',
      server(null, (line) => (line.startsWith('TOP') ? '-ERR what?\r\n' : undefined)),
    );
    const client = await loggedIn(transport);
    expect(client.capabilities).toBeNull();
    expect(text(await client.top(2, 0))).toBe('Subject: two\r\n\r\n');
    expect(text(await client.top(1, 1))).toBe('Subject: one\r\n\r\nfirst body\r\n');
    expect(transport.sent.filter((l) => l.startsWith('TOP'))).toEqual(['TOP 2 0']);
    expect(client.notes.join(' ')).toMatch(/no CAPA/);
    expect(client.notes.join(' ')).toMatch(/no TOP/);
  });

  it('lists without UIDL where the server has none', async () => {
    const transport = new ScriptedTransport('+OK\r\n', server(['TOP', 'USER']));
    const client = await loggedIn(transport);
    const list = await client.messages();
    expect(list.map((m) => m.uid)).toEqual([undefined, undefined, undefined]);
    await expect(client.uidl()).rejects.toBeInstanceOf(Pop3UnsupportedError);
    expect(client.notes.join(' ')).toMatch(/no UIDL/);
  });

  it('turns an -ERR greeting into a clear error', async () => {
    const transport = new ScriptedTransport('-ERR [SYS/TEMP] too busy\r\n', server(fullCapa));
    const error = await Pop3Client.connect(transport).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Pop3ServerError);
    expect(error).toMatchObject({ command: 'greeting', code: 'SYS/TEMP', serverText: 'too busy' });
    expect(transport.closed).toBe(true);
  });

  it('reports the response code of a failed login and does not try another method', async () => {
    const transport = new ScriptedTransport(
      '+OK\r\n',
      server(fullCapa, (line) => (line.startsWith('AUTH PLAIN') ? '-ERR [AUTH] wrong\r\n' : undefined)),
    );
    transport.tls = { protocol: 'TLSv1.3', cipher: 'x', authorized: true };
    const client = await Pop3Client.connect(transport);
    const error = await client.login({ username: 'a', password: 'wrong' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ command: 'AUTH PLAIN', code: 'AUTH', serverText: 'wrong' });
    expect(transport.sent.some((l) => l.startsWith('USER'))).toBe(false);
  });

  it('falls back to a method of equal strength when a mechanism fails without a code', async () => {
    const transport = new ScriptedTransport(
      '+OK\r\n',
      server(['USER', 'SASL PLAIN'], (line) =>
        line.startsWith('AUTH PLAIN') ? '-ERR unsupported mechanism\r\n' : undefined,
      ),
    );
    transport.tls = { protocol: 'TLSv1.3', cipher: 'x', authorized: true };
    const client = await Pop3Client.connect(transport);
    expect(await client.login({ username: 'a', password: 'right' })).toBe('user');
  });

  it('falls back from a CRAM-MD5 the server only pretends to have to PLAIN over TLS (Thunderbird)', async () => {
    const plainOk = (line: string) =>
      line === 'AUTH CRAM-MD5'
        ? '-ERR I just pretended to implement CRAM-MD5\r\n'
        : line.startsWith('AUTH PLAIN ')
          ? '+OK\r\n'
          : undefined;
    const transport = new ScriptedTransport('+OK\r\n', server(['USER', 'SASL PLAIN CRAM-MD5'], plainOk));
    transport.tls = { protocol: 'TLSv1.3', cipher: 'x', authorized: true };
    const client = await Pop3Client.connect(transport);
    expect(await client.login({ username: 'a', password: 'right' })).toBe('plain');
    expect(transport.sent.filter((l) => l.startsWith('AUTH') || l.startsWith('USER'))).toEqual([
      'AUTH CRAM-MD5',
      expect.stringMatching(/^AUTH PLAIN \S+$/),
    ]);

    // Without TLS the fallback never sends the password in clear: it ends, naming what it tried.
    const plain = new ScriptedTransport('+OK <1@x>\r\n', server(['USER', 'SASL PLAIN CRAM-MD5'], plainOk));
    const unencrypted = await Pop3Client.connect(plain);
    const error = await unencrypted.login({ username: 'a', password: 'wrong' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Pop3LoginError);
    expect((error as Pop3LoginError).attempts.map(({ method }) => method)).toEqual(['cram-md5', 'apop']);
    expect((error as Error).message).toMatch(/^login refused with every method tried \(CRAM-MD5, APOP\)/);
    expect(plain.sent.some((l) => /^(AUTH PLAIN|USER|PASS)/.test(l))).toBe(false);
  });

  it('refuses a password with a line break (command injection)', async () => {
    const transport = new ScriptedTransport('+OK\r\n', server(fullCapa));
    const client = await Pop3Client.connect(transport);
    await expect(
      client.login({ username: 'a', password: 'x\r\nDELE 1', method: 'user', allowPlaintext: true }),
    ).rejects.toBeInstanceOf(Pop3SecurityError);
    expect(transport.sent.some((l) => l.startsWith('DELE'))).toBe(false);
  });

  it('cancels a RETR with an AbortSignal and stays usable', async () => {
    const big = `Subject: big\r\n\r\n${'x'.repeat(50_000)}\r\n`;
    const transport = new ScriptedTransport(
      '+OK\r\n',
      server(fullCapa, (line) => (line === 'RETR 9' ? multiline(big) : undefined)),
      1000,
    );
    const client = await loggedIn(transport);
    await client.list();
    const controller = new AbortController();
    const progress: number[] = [];
    const retr = client.retr(9, {
      signal: controller.signal,
      onProgress: (received) => {
        progress.push(received);
        if (received >= 10_000) controller.abort();
      },
    });
    await expect(retr).rejects.toBeInstanceOf(Pop3AbortError);
    expect(progress.length).toBeGreaterThan(5);
    expect(text(await client.retr(1))).toBe(messages[0]);
  });

  it('watches one AbortSignal with one listener for many commands, and cancels them all with it', async () => {
    const transport = new ScriptedTransport(
      '+OK\r\n',
      server(fullCapa, (line) => (line.startsWith('TOP') ? { silence: true } : undefined)),
    );
    const client = await loggedIn(transport);
    const controller = new AbortController();
    const added = vi.spyOn(controller.signal, 'addEventListener');
    const removed = vi.spyOn(controller.signal, 'removeEventListener');
    const listing = client.fetchEach({
      numbers: [1, 2, 3, 1, 2, 3],
      topLines: 0,
      signal: controller.signal,
      onMessage: () => {},
    });
    await transport.settled();
    expect(added).toHaveBeenCalledTimes(1);
    controller.abort();
    await expect(listing).rejects.toBeInstanceOf(Pop3AbortError);
    // The six sent TOPs are answered late: their replies are read and dropped, then the session goes on.
    for (let i = 0; i < 6; i++) transport.push(multiline('Subject: x\r\n\r\n'));
    expect(text(await client.retr(1))).toBe(messages[0]);
    expect(removed.mock.calls.length).toBeLessThanOrEqual(1);
  });

  it('reports progress against the LIST size', async () => {
    const transport = new ScriptedTransport('+OK\r\n', server(fullCapa), 5);
    const client = await loggedIn(transport);
    await client.list();
    const seen: Array<[number, number | undefined]> = [];
    await client.retr(3, { onProgress: (received, total) => seen.push([received, total]) });
    expect(seen.at(-1)).toEqual([messages[2]!.length, messages[2]!.length]);
  });

  it('times out a reply that makes no progress and closes the connection', async () => {
    const transport = new ScriptedTransport(
      '+OK\r\n',
      server(fullCapa, (line) => (line === 'STAT' ? { silence: true } : undefined)),
    );
    const client = await loggedIn(transport, { timeoutMs: 50 });
    const error = await client.stat().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Pop3TimeoutError);
    expect(error).toMatchObject({ command: 'STAT' });
    expect(transport.closed).toBe(true);
    await expect(client.noop()).rejects.toBeInstanceOf(Pop3TimeoutError);
  });

  it('says where the connection closed: in the middle of a reply', async () => {
    const transport = new ScriptedTransport(
      '+OK\r\n',
      server(fullCapa, (line) => (line === 'RETR 1' ? ['+OK\r\nSubject: half', { close: true }] : undefined)),
    );
    const client = await loggedIn(transport);
    const error = await client.retr(1).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Pop3ClosedError);
    expect(String(error)).toMatch(/in the middle of the reply to RETR 1/);
    expect(client.state).toBe('ended');
  });

  it('rejects a garbage reply, fails what was waiting and closes', async () => {
    const transport = new ScriptedTransport(
      '+OK\r\n',
      server(fullCapa, (line) => (line === 'STAT' ? 'SSH-2.0-OpenSSH\r\n' : undefined)),
    );
    const client = await loggedIn(transport);
    const [stat, list] = await Promise.allSettled([client.stat(), client.list()]);
    expect(stat).toMatchObject({ status: 'rejected', reason: expect.any(Pop3ProtocolError) });
    expect(list).toMatchObject({ status: 'rejected' });
    expect(transport.closed).toBe(true);
  });

  it('refuses bytes injected after +OK to STLS (CVE-2021-22947)', async () => {
    const transport = new ScriptedTransport(
      '+OK\r\n',
      server(fullCapa, (line) => (line === 'STLS' ? '+OK begin\r\n+OK injected\r\n' : undefined)),
    );
    const error = await openSession(transport, {
      security: 'starttls',
      credentials: { username: 'a', password: 'right' },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Pop3SecurityError);
    expect(transport.tlsStarts).toBe(0);
    expect(transport.sent).not.toContain('AUTH PLAIN');
    expect(transport.closed).toBe(true);
  });

  it('STLS: asks for capabilities again after the upgrade and then logs in', async () => {
    const transport = new ScriptedTransport('+OK\r\n', server(fullCapa));
    const client = await openSession(transport, {
      security: 'starttls',
      credentials: { username: 'a', password: 'right', method: 'user' },
    });
    expect(transport.tlsStarts).toBe(1);
    expect(transport.sent.slice(0, 5)).toEqual(['CAPA', 'STLS', 'CAPA', 'USER a', 'PASS right']);
    expect(client.tls?.protocol).toBe('TLSv1.3');
  });

  it('refuses to go on in plaintext when STLS was asked for and is not offered', async () => {
    const transport = new ScriptedTransport('+OK\r\n', server(['USER', 'TOP']));
    await expect(
      openSession(transport, { security: 'starttls', credentials: { username: 'a', password: 'right' } }),
    ).rejects.toThrow(/does not offer STLS/);
    expect(transport.sent).toEqual(['CAPA']);
  });

  it('logs the dialogue with secrets redacted', async () => {
    const log: LogEntry[] = [];
    const transport = new ScriptedTransport('+OK hi\r\n', server(fullCapa));
    const client = await loggedIn(transport, { onLog: (entry: LogEntry) => log.push(entry) });
    await client.retr(1);
    const lines = log.map((e) => `${e.direction === 'client' ? 'C' : 'S'}: ${e.text}`);
    expect(lines).toContain('C: PASS ***');
    expect(lines).toContain(`S: [${messages[0]!.length} octets]`);
    expect(lines.join('\n')).not.toContain('right');
  });
});
