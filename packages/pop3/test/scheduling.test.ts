import { afterEach, describe, expect, it, vi } from 'vitest';
import { Pop3Client } from '../src/client.js';
import { Pop3ClosedError, Pop3TimeoutError } from '../src/errors.js';
import { limits } from '../src/limits.js';
import { ScriptedTransport, multiline, type Answer } from './support/scripted-transport.js';

const header = (n: number) => `Subject: message ${n}\r\n\r\n`;

/**
 * A server that has every message number and answers each command at once, except those `hold` keeps
 * silent (the test pushes their replies).
 */
function server(capa: readonly string[], hold: (line: string) => boolean = () => false) {
  return (line: string, _transport?: ScriptedTransport): Answer | Answer[] => {
    if (hold(line)) return { silence: true };
    const [command, arg] = line.split(' ');
    switch (command) {
      case 'CAPA':
        return multiline(capa.join('\r\n'));
      case 'USER':
      case 'PASS':
      case 'NOOP':
        return '+OK\r\n';
      case 'STAT':
        return '+OK 2 20\r\n';
      case 'TOP':
        return multiline(header(Number(arg)));
      case 'RETR':
        return multiline(`${header(Number(arg))}the body\r\n`);
      case 'QUIT':
        return ['+OK bye\r\n', { close: true }];
      default:
        return '-ERR unknown command\r\n';
    }
  };
}

const pipelined = ['TOP', 'UIDL', 'USER', 'PIPELINING'];
const oneAtATime = ['TOP', 'UIDL', 'USER'];

async function loggedIn(transport: ScriptedTransport) {
  const client = await Pop3Client.connect(transport);
  await client.login({ username: 'alice', password: 'right', method: 'user', allowPlaintext: true });
  await client.stat(); // the CAPA after login is answered too: nothing else is in flight
  return client;
}

/** Resolves once `condition` holds, checking after each macrotask (the transport delivers in those). */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 0));
}

afterEach(() => {
  vi.useRealTimers();
});

describe('scheduling: the interactive lane and fetchEach', () => {
  it('answers a RETR issued in the middle of a 10,000-message listing after at most one window of TOP replies', async () => {
    let sentTops = 0;
    const answer = server(pipelined);
    const transport = new ScriptedTransport('+OK\r\n', (line, self) => {
      if (line.startsWith('TOP')) sentTops++;
      return answer(line, self);
    });
    const client = await loggedIn(transport);
    const total = 10_000;
    let answered = 0;
    let mostInFlight = 0;
    let retr: Promise<{ bytes: Uint8Array; answeredBefore: number }> | undefined;
    let issuedAt = 0;
    const result = await client.fetchEach({
      numbers: Array.from({ length: total }, (_, index) => total - index),
      topLines: 0,
      onMessage: () => {
        answered++;
        mostInFlight = Math.max(mostInFlight, sentTops - answered + 1);
        if (answered === total / 2) {
          issuedAt = answered;
          retr = client.retr(42, { urgent: true }).then((bytes) => ({ bytes, answeredBefore: answered }));
        }
      },
    });
    expect(result.failures).toEqual([]);
    expect(answered).toBe(total);
    const { bytes, answeredBefore } = await retr!;
    expect(Buffer.from(bytes).toString('latin1')).toBe(`${header(42)}the body\r\n`);
    expect(answeredBefore - issuedAt).toBeLessThanOrEqual(limits.pipelineWindow);
    // It overtook the rest of the listing: half of it was still to be sent.
    expect(answeredBefore).toBeLessThan(total);
    expect(mostInFlight).toBeLessThanOrEqual(limits.pipelineWindow);
  });

  it('fetchEach hands the queue one window at a time: a command issued later waits behind that window only', async () => {
    const transport = new ScriptedTransport(
      '+OK\r\n',
      server(pipelined, (line) => line.startsWith('TOP')),
    );
    const client = await loggedIn(transport);
    const sentTops = () => transport.sent.filter((line) => line.startsWith('TOP')).length;
    const listing = client.fetchEach({
      numbers: Array.from({ length: 10_000 }, (_, index) => index + 1),
      topLines: 0,
      onMessage: () => {},
    });
    await until(() => sentTops() === limits.pipelineWindow);
    const noop = client.noop(); // not urgent
    const sentBefore = transport.sent.length;
    transport.push(multiline(header(1)));
    await until(() => transport.sent.length > sentBefore);
    // The first reply made room for one command: the NOOP, not the listing's refill.
    expect(transport.sent.slice(sentBefore)).toEqual(['NOOP']);
    expect(sentTops()).toBe(limits.pipelineWindow);
    client.close();
    await expect(listing).rejects.toBeInstanceOf(Pop3ClosedError);
    await expect(noop).rejects.toBeInstanceOf(Pop3ClosedError);
  });

  it('sends an urgent command before the queued commands that are not, in the order the urgent ones came', async () => {
    const transport = new ScriptedTransport(
      '+OK\r\n',
      server(oneAtATime, (line) => line === 'TOP 1 0'),
    );
    const client = await loggedIn(transport);
    const tops = [client.top(1, 0), client.top(2, 0), client.top(3, 0)];
    await until(() => transport.sent.includes('TOP 1 0'));
    const retrs = [client.retr(5, { urgent: true }), client.retr(6, { urgent: true })];
    transport.push(multiline(header(1)));
    await Promise.all([...tops, ...retrs]);
    expect(transport.sent.slice(-5)).toEqual(['TOP 1 0', 'RETR 5', 'RETR 6', 'TOP 2 0', 'TOP 3 0']);
  });

  it('never sends an urgent command before a barrier queued earlier', async () => {
    const transport = new ScriptedTransport(
      '+OK\r\n',
      server(oneAtATime, (line) => line === 'TOP 1 0'),
    );
    const client = await loggedIn(transport);
    const first = client.top(1, 0);
    const second = client.top(2, 0);
    const quit = client.quit();
    const retr = client.retr(5, { urgent: true });
    await until(() => transport.sent.includes('TOP 1 0'));
    transport.push(multiline(header(1)));
    await Promise.all([first, second, quit]);
    await expect(retr).rejects.toBeInstanceOf(Pop3ClosedError);
    expect(transport.sent.slice(-3)).toEqual(['TOP 1 0', 'TOP 2 0', 'QUIT']);
  });

  it('without PIPELINING, fetchEach keeps one command out at a time and an urgent RETR goes next', async () => {
    const transport = new ScriptedTransport('+OK\r\n', server(oneAtATime));
    const client = await loggedIn(transport);
    let retr: Promise<Uint8Array> | undefined;
    await client.fetchEach({
      numbers: [1, 2, 3, 4],
      topLines: 0,
      onMessage: (number) => {
        if (number === 1) retr = client.retr(9, { urgent: true });
      },
    });
    await retr;
    expect(transport.sent.slice(-5)).toEqual(['TOP 1 0', 'RETR 9', 'TOP 2 0', 'TOP 3 0', 'TOP 4 0']);
    for (const write of transport.writes) expect(write.length).toBeLessThanOrEqual(1);
  });
});

describe('scheduling: idle time, keepalive and QUIT with a timeout', () => {
  it('counts idle time from the last traffic, and sends NOOP only after the keepalive interval', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(1_000_000);
    const transport = new ScriptedTransport('+OK\r\n', server(pipelined));
    const client = await loggedIn(transport);
    expect(client.idleMs).toBe(0);
    expect(await client.keepalive(60_000)).toBe(false);
    vi.setSystemTime(1_000_000 + 59_999);
    expect(client.idleMs).toBe(59_999);
    expect(await client.keepalive(60_000)).toBe(false);
    vi.setSystemTime(1_000_000 + 60_000);
    expect(await client.keepalive(60_000)).toBe(true);
    expect(transport.sent.at(-1)).toBe('NOOP');
    expect(client.idleMs).toBe(0);
  });

  it('is never idle while a command waits for its reply, and sends no NOOP then', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(1_000_000);
    const transport = new ScriptedTransport(
      '+OK\r\n',
      server(pipelined, (line) => line === 'RETR 1'),
    );
    const client = await loggedIn(transport);
    const retr = client.retr(1);
    vi.setSystemTime(1_000_000 + 120_000);
    expect(client.idleMs).toBe(0);
    expect(await client.keepalive(60_000)).toBe(false);
    transport.push(multiline(header(1)));
    await retr;
    expect(transport.sent).not.toContain('NOOP');
  });

  it('quit({ timeoutMs }) closes the link and rejects with a timeout when QUIT is not answered in time', async () => {
    const transport = new ScriptedTransport(
      '+OK\r\n',
      server(pipelined, (line) => line === 'QUIT'),
    );
    const client = await loggedIn(transport);
    vi.useFakeTimers();
    const quit = client.quit({ timeoutMs: 10_000 });
    const outcome = quit.catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(9_999);
    expect(transport.closed).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(await outcome).toBeInstanceOf(Pop3TimeoutError);
    expect(await outcome).toMatchObject({ command: 'QUIT' });
    expect(transport.closed).toBe(true);
    expect(client.state).toBe('ended');
  });

  it('quit({ timeoutMs }) answered in time ends the session and leaves no timer behind', async () => {
    const transport = new ScriptedTransport('+OK\r\n', server(pipelined));
    const client = await loggedIn(transport);
    vi.useFakeTimers();
    const quit = client.quit({ timeoutMs: 10_000 });
    await vi.advanceTimersByTimeAsync(0);
    await quit;
    expect(client.state).toBe('ended');
    expect(vi.getTimerCount()).toBe(0);
  });
});

/**
 * A server that keeps the POP3 states apart: before a login, STAT and the rest get -ERR. It takes
 * USER/PASS with the password `right`, and refuses every CRAM-MD5 response with [AUTH] (as Dovecot
 * does for a user without a CRAM-MD5 secret). Its CAPA after a login says so.
 */
function statefulServer(capa: readonly string[]) {
  let inTransaction = false;
  let awaitingCramResponse = false;
  const answer = server(capa);
  return (line: string, transport?: ScriptedTransport): Answer | Answer[] => {
    if (awaitingCramResponse) {
      awaitingCramResponse = false;
      return '-ERR [AUTH] no CRAM-MD5 secret\r\n';
    }
    if (line === 'AUTH CRAM-MD5') {
      awaitingCramResponse = true;
      return `+ ${Buffer.from('<1.2@x>').toString('base64')}\r\n`;
    }
    if (line === 'PASS right') inTransaction = true;
    if (line.startsWith('PASS')) return inTransaction ? '+OK in\r\n' : '-ERR [AUTH] wrong\r\n';
    if (line === 'CAPA' && inTransaction)
      return multiline([...capa, 'IMPLEMENTATION after-login'].join('\r\n'));
    if (!inTransaction && !['CAPA', 'USER', 'QUIT'].includes(line.split(' ')[0]!))
      return '-ERR not in this state\r\n';
    return answer(line, transport);
  };
}

async function greeted(transport: ScriptedTransport) {
  const client = await Pop3Client.connect(transport);
  await client.capa();
  return client;
}

describe('scheduling: commands issued during the login', () => {
  it('with PIPELINING, leave in the same write as its last line (the CAPA after login follows them)', async () => {
    const transport = new ScriptedTransport('+OK\r\n', statefulServer(pipelined));
    const client = await greeted(transport);
    const loggingIn = client.login({
      username: 'alice',
      password: 'right',
      method: 'user',
      allowPlaintext: true,
    });
    const stat = client.stat();
    const sizes = client.list();
    await loggingIn;
    expect(await stat).toEqual({ count: 2, size: 20 });
    await sizes.catch(() => {});
    expect(transport.writes).toContainEqual(['USER alice', 'PASS right', 'STAT', 'LIST']);
    await client.settledCapabilities();
    expect(client.capabilities?.implementation).toBe('after-login');
  });

  it('behind a method another may follow, they wait: only the last method’s last line carries them', async () => {
    // A server that counts -ERRs before a login as bad commands (Dovecot: three, then it disconnects)
    // would otherwise cut off the fallback from a refused CRAM-MD5 to USER/PASS.
    const transport = new ScriptedTransport('+OK\r\n', statefulServer([...pipelined, 'SASL CRAM-MD5']));
    const client = await greeted(transport);
    const loggingIn = client.login({ username: 'alice', password: 'right', allowPlaintext: true });
    const stat = client.stat();
    expect(await loggingIn).toBe('user');
    expect(await stat).toEqual({ count: 2, size: 20 });
    const afterAuth = transport.writes.findIndex((lines) => lines[0] === 'AUTH CRAM-MD5') + 1;
    expect(transport.writes[afterAuth]).toHaveLength(1);
    expect(transport.writes).toContainEqual(['USER alice', 'PASS right', 'STAT']);
    expect(transport.sent.filter((line) => line === 'STAT')).toHaveLength(1);
    await client.settledCapabilities();
    expect(client.capabilities?.implementation).toBe('after-login');
  });

  it('when every method is refused, fail with the login’s error and are not sent again', async () => {
    const transport = new ScriptedTransport('+OK\r\n', statefulServer(pipelined));
    const client = await greeted(transport);
    const loggingIn = client.login({
      username: 'alice',
      password: 'wrong',
      method: 'user',
      allowPlaintext: true,
    });
    const stat = client.stat();
    await expect(loggingIn).rejects.toMatchObject({ kind: 'server', command: 'PASS' });
    await expect(stat).rejects.toMatchObject({ kind: 'server', command: 'PASS' });
    await transport.settled();
    expect(transport.sent.filter((line) => line === 'STAT')).toHaveLength(1);
    expect(client.capabilities?.pipelining).toBe(true);
  });

  it('without PIPELINING, wait for the login and for the CAPA after it, one at a time', async () => {
    const transport = new ScriptedTransport('+OK\r\n', statefulServer(oneAtATime));
    const client = await greeted(transport);
    const loggingIn = client.login({
      username: 'alice',
      password: 'right',
      method: 'user',
      allowPlaintext: true,
    });
    const stat = client.stat();
    await loggingIn;
    expect(await stat).toEqual({ count: 2, size: 20 });
    expect(transport.writes.slice(-4)).toEqual([['USER alice'], ['PASS right'], ['CAPA'], ['STAT']]);
  });
});

describe('scheduling: USER and PASS under PIPELINING', () => {
  const login = (client: Pop3Client, password: string) =>
    client.login({ username: 'alice', password, method: 'user', allowPlaintext: true });

  it('leave in one write with what the login carries, the replies cut into pieces of every size', async () => {
    const replies = '+OK\r\n+OK in\r\n+OK 2 20\r\n';
    for (let chunkSize = 1; chunkSize <= replies.length; chunkSize++) {
      const transport = new ScriptedTransport('+OK\r\n', statefulServer(pipelined), chunkSize);
      const client = await greeted(transport);
      const loggingIn = login(client, 'right');
      const stat = client.stat();
      expect(await loggingIn).toBe('user');
      expect(await stat).toEqual({ count: 2, size: 20 });
      expect(transport.writes.at(-2)).toEqual(['USER alice', 'PASS right', 'STAT']);
    }
  });

  it('a refused USER is the error reported; the PASS behind it and the carried STAT are not sent again', async () => {
    const server = statefulServer(pipelined);
    let users = 0;
    const transport = new ScriptedTransport('+OK\r\n', (line, t) => {
      if (line.startsWith('USER')) {
        users++;
        return '-ERR [AUTH] no such user\r\n';
      }
      // RFC 1939: PASS only after a USER that was accepted.
      if (line.startsWith('PASS')) return '-ERR no USER\r\n';
      return server(line, t);
    });
    const client = await greeted(transport);
    const loggingIn = login(client, 'right');
    const stat = client.stat();
    await expect(loggingIn).rejects.toMatchObject({ kind: 'server', command: 'USER', code: 'AUTH' });
    await expect(stat).rejects.toMatchObject({ kind: 'server', command: 'USER' });
    await transport.settled();
    expect(transport.writes.at(-1)).toEqual(['USER alice', 'PASS right', 'STAT']);
    expect(users).toBe(1);
    expect(transport.sent.filter((line) => line.startsWith('PASS'))).toHaveLength(1);
  });

  it('a refused PASS after an accepted USER is reported as PASS’s', async () => {
    const transport = new ScriptedTransport('+OK\r\n', statefulServer(pipelined));
    const client = await greeted(transport);
    await expect(login(client, 'wrong')).rejects.toMatchObject({ command: 'PASS', code: 'AUTH' });
    expect(transport.writes.at(-1)).toEqual(['USER alice', 'PASS wrong']);
  });

  it('behind a method another may follow, USER waits for its answer before PASS', async () => {
    const transport = new ScriptedTransport('+OK\r\n', statefulServer([...pipelined, 'SASL PLAIN']));
    const client = await greeted(transport);
    // USER/PASS preferred, so PLAIN follows it: its lines may not leave -ERRs for PLAIN to pay for.
    const loggingIn = client.login({
      username: 'alice',
      password: 'right',
      preferredMethod: 'user',
      allowPlaintext: true,
    });
    expect(await loggingIn).toBe('user');
    expect(transport.writes).toContainEqual(['USER alice']);
    expect(transport.writes).toContainEqual(['PASS right']);
  });
});
