// The console command API: one typed command through the engine's queue, its reply read in the
// shape its command has (HELP detected), refusals, explanations; against testkit's server.
import { afterEach, describe, expect, it } from 'vitest';
import { generateMessages, startPop3Server, type RunningPop3Server } from '@webpop/testkit';
import { connectPop3 } from '../src/node/index.js';
import type { LogEntry } from '../src/connection.js';
import {
  completeConsoleCommand,
  consoleCommandNames,
  parseConsoleCommand,
  type ConsoleOutcome,
  type ConsoleReply,
} from '../src/console/index.js';
import { Capabilities } from '../src/capabilities.js';
import { limits } from '../src/limits.js';

type ServerOptions = Parameters<typeof startPop3Server>[0];

// The last one is large: a RETR typed in a console shows its size and first lines only.
const messages = [
  ...generateMessages(29, { seed: 23 }),
  ...generateMessages(1, { seed: 24, bodyBytes: 200_000 }),
];
const password = 'console-password';
let server: RunningPop3Server | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function signedIn(options: Partial<ServerOptions> = {}) {
  server = await startPop3Server({ accounts: [{ username: 'alice', password, messages }], ...options });
  const log: LogEntry[] = [];
  const client = await connectPop3({
    host: server.host,
    port: server.port,
    security: 'none',
    timeoutMs: 5_000,
    onLog: (entry) => log.push(entry),
    credentials: { username: 'alice', password, method: 'user', allowPlaintext: true },
  });
  await client.stat(); // the CAPA after login has been answered too
  return { client, log };
}

function reply(outcome: ConsoleOutcome): ConsoleReply {
  if (outcome.kind !== 'reply') throw new Error(`expected a reply, got ${JSON.stringify(outcome)}`);
  return outcome;
}

const sizeOf = (n: number) => messages[n - 1]!.length;

describe('console commands: the shape of each reply', () => {
  it('reads CAPA, LIST and UIDL without an argument as bodies, and with one as a line', async () => {
    const { client } = await signedIn();
    const capa = reply(await client.consoleCommand('capa'));
    expect(capa).toMatchObject({ line: 'CAPA', multiLine: true });
    expect(capa.lines).toContain('PIPELINING');
    const list = reply(await client.consoleCommand('LIST'));
    expect(list.multiLine).toBe(true);
    expect(list.lines).toHaveLength(30);
    expect(list.lines[2]).toBe(`3 ${sizeOf(3)}`);
    const listOne = reply(await client.consoleCommand('LIST 3'));
    expect(listOne).toMatchObject({ multiLine: false, lines: [] });
    expect(listOne.status.text).toBe(`3 ${sizeOf(3)}`);
    expect(listOne.explanation).toEqual([
      `Message 3 has ${sizeOf(3)} octets (${(sizeOf(3) / 1024).toFixed(1)} KiB).`,
    ]);
    expect(reply(await client.consoleCommand('UIDL')).lines).toHaveLength(30);
    const uidlOne = reply(await client.consoleCommand('UIDL 3'));
    expect(uidlOne.multiLine).toBe(false);
    expect(uidlOne.explanation[0]).toMatch(/^Message 3’s unique id is \S+: it stays the same/);
    await client.quit();
  });

  it('reads TOP as a body, and shows a RETR as its size and first lines only', async () => {
    const { client, log } = await signedIn();
    const top = reply(await client.consoleCommand('TOP 1 0'));
    expect(top.multiLine).toBe(true);
    expect(top.lines.at(-1)).toBe('');
    expect(top.lines.some((line) => line.startsWith('Subject:'))).toBe(true);
    const big = 30;
    const retr = reply(await client.consoleCommand(`RETR ${big}`));
    expect(retr).toMatchObject({ multiLine: true, bodyBytes: sizeOf(big), cut: true });
    expect(retr.lines).toHaveLength(limits.consoleRetrLines);
    expect(retr.explanation[0]).toMatch(
      new RegExp(`^Message ${big} has ${sizeOf(big)} octets .*only its first lines are shown`),
    );
    // The log holds the first lines and how much more there was, not the message.
    const at = log.findIndex((entry) => entry.text === `RETR ${big}`);
    const shown = log.slice(at + 2, at + 2 + limits.consoleRetrLines + 2).map((entry) => entry.text);
    expect(shown.at(-2)).toMatch(new RegExp(`^\\[\\d+ more octets, ${sizeOf(big)} in all\\]$`));
    expect(shown.at(-1)).toBe('.');
    await client.quit();
  });

  it('detects a HELP answered on one line: the NOOP sent after its +OK tells, without PIPELINING too', async () => {
    for (const pipelining of [true, false]) {
      const { client, log } = await signedIn({ quirks: { help: 'single' }, features: { pipelining } });
      const help = reply(await client.consoleCommand('HELP'));
      expect(help).toMatchObject({ multiLine: false, lines: [], bodyBytes: 0 });
      expect(help.status.text).toMatch(/^Commands: USER PASS/);
      const at = log.findIndex((entry) => entry.text === 'HELP');
      expect(log.slice(at + 1, at + 4).map((entry) => entry.text)).toEqual([
        `+OK ${help.status.text}`,
        'NOOP (to tell where the reply ends)',
        '+OK NOOP',
      ]);
      // The session is in step afterwards.
      expect((await client.stat()).count).toBe(30);
      await client.quit();
      await server!.close();
      server = undefined;
    }
  });

  it('detects a HELP answered with a body, and an -ERR (Dovecot has no HELP)', async () => {
    const multi = await signedIn({ quirks: { help: 'multi' } });
    const help = reply(await multi.client.consoleCommand('help'));
    expect(help.multiLine).toBe(true);
    expect(help.lines).toContain('RETR');
    expect(help.lines).toContain('HELP');
    expect((await multi.client.stat()).count).toBe(30);
    await multi.client.quit();
    await server!.close();

    const none = await signedIn();
    const refused = reply(await none.client.consoleCommand('HELP'));
    expect(refused).toMatchObject({
      multiLine: false,
      status: { indicator: '-ERR', text: 'Unknown command' },
    });
    expect(refused.explanation).toEqual(['The server does not know HELP (or refuses it here).']);
    const unknown = reply(await none.client.consoleCommand('XTND XLIST'));
    expect(unknown.status.indicator).toBe('-ERR');
    expect((await none.client.stat()).count).toBe(30);
    await none.client.quit();
  });

  it('answers console commands in order when they are typed in the middle of a listing', async () => {
    for (const pipelining of [true, false]) {
      const { client, log } = await signedIn({ features: { pipelining } });
      const typed = ['STAT', 'LIST 7', 'HELP', 'UIDL 7', 'TOP 2 0', 'DELE 30', 'LIST 30', 'RSET', 'NOOP'];
      let answers: Promise<ConsoleOutcome[]> | undefined;
      const listed: number[] = [];
      const result = await client.fetchEach({
        numbers: messages.map((_, i) => i + 1),
        topLines: 0,
        onMessage: (number) => {
          listed.push(number);
          if (number === 3) answers = Promise.all(typed.map((line) => client.consoleCommand(line)));
        },
      });
      const replies = (await answers!).map(reply);
      expect(result.failures).toEqual([]);
      expect(listed).toEqual(messages.map((_, i) => i + 1));
      expect(replies.map((r) => r.line)).toEqual(typed);
      expect(replies[0]!.status.text).toBe(`30 ${messages.reduce((sum, m) => sum + m.length, 0)}`);
      expect(replies[1]!.status.text).toBe(`7 ${sizeOf(7)}`);
      expect(replies[2]!.status.indicator).toBe('-ERR');
      expect(replies[3]!.status.text).toMatch(/^7 /);
      expect(replies[4]!.lines.some((line) => line.startsWith('Subject:'))).toBe(true);
      expect(replies[5]!.explanation[0]).toMatch(
        /^Message 30 is marked for deletion\. Deletions commit only at QUIT/,
      );
      expect(replies[6]!.status).toMatchObject({ indicator: '-ERR', text: 'Message 30 is deleted' });
      expect(replies[7]!.status.indicator).toBe('+OK');
      // In the order typed; with PIPELINING behind the TOPs already in flight (all of them), without it
      // on the interactive lane, ahead of the TOPs not yet sent.
      const sent = log.filter((entry) => entry.direction === 'client').map((entry) => entry.text);
      const positions = typed.map((line) => sent.lastIndexOf(line));
      expect(positions).toEqual([...positions].sort((a, b) => a - b));
      if (pipelining) expect(positions[0]).toBeGreaterThan(sent.indexOf('TOP 30 0'));
      else expect(positions.at(-1)!).toBeLessThan(sent.indexOf('TOP 5 0'));
      await client.quit();
      expect(server!.accounts.get('alice')!.messages).toHaveLength(30);
      await server!.close();
      server = undefined;
    }
  });
});

describe('console commands: refusals and explanations', () => {
  it('refuses logins, STLS after login and anything that is not one line, with a sentence of why', async () => {
    const { client } = await signedIn();
    for (const line of ['USER bob', 'pass secret', 'APOP bob 0123', 'AUTH PLAIN', 'STLS']) {
      const outcome = await client.consoleCommand(line);
      expect(outcome.kind).toBe('refused');
      if (outcome.kind === 'refused') expect(outcome.why).toMatch(/\.$/);
    }
    const pass = await client.consoleCommand('PASS secret');
    expect(pass).toMatchObject({ kind: 'refused', verb: 'PASS' });
    if (pass.kind === 'refused') expect(pass.why).toMatch(/password/);
    expect((await client.consoleCommand('STLS')).kind).toBe('refused');
    expect(await client.consoleCommand('  ')).toEqual({ kind: 'empty' });
    expect((await client.consoleCommand('NOOP\u0000')).kind).toBe('refused');
    expect((await client.consoleCommand(`NOOP ${'x'.repeat(260)}`)).kind).toBe('refused');
    expect(server!.commandLog.map((entry) => entry.command)).not.toContain('USER bob');
    await client.quit();
  });

  it('QUIT ends the session and says what it committed', async () => {
    const { client } = await signedIn();
    reply(await client.consoleCommand('DELE 1'));
    const quit = reply(await client.consoleCommand('QUIT'));
    expect(quit.status.indicator).toBe('+OK');
    expect(quit.explanation[0]).toMatch(/^The session has ended: the server deleted/);
    expect(client.state).toBe('ended');
    expect(server!.accounts.get('alice')!.messages).toHaveLength(29);
  });

  it('explains response codes and mailbox sizes in words', async () => {
    const stlsBefore = parseConsoleCommand('stls', { state: 'authorization', encrypted: false });
    expect(stlsBefore).toMatchObject({ kind: 'send', line: 'STLS', reply: 'single' });
    const { explainConsoleReply } = await import('../src/console/explain.js');
    const stat = parseConsoleCommand('STAT', { state: 'transaction', encrypted: true });
    const noop = parseConsoleCommand('NOOP', { state: 'transaction', encrypted: true });
    if (stat.kind !== 'send' || noop.kind !== 'send') throw new Error('not sent');
    expect(explainConsoleReply(stat, { indicator: '+OK', text: '5 868540', code: undefined }, 0)).toEqual([
      '5 messages of 868540 octets in all (848 KiB), not counting those marked for deletion.',
    ]);
    expect(
      explainConsoleReply(
        noop,
        { indicator: '+OK', text: 'maildrop has 5 messages (868540 octets)', code: undefined },
        0,
      ).at(-1),
    ).toBe('5 messages of 868540 octets in all (848 KiB): the size of the mailbox as this session sees it.');
    for (const [code, words] of [
      ['IN-USE', /another session holds this mailbox/],
      ['LOGIN-DELAY', /only every so often/],
      ['SYS/TEMP', /temporary problem on the server’s side/],
      ['SYS/PERM', /lasting problem/],
      ['AUTH', /credentials themselves were refused/],
      ['X-NEW', /no words for/],
    ] as const) {
      expect(explainConsoleReply(noop, { indicator: '-ERR', text: 'no', code }, 0)[0]).toMatch(words);
    }
  });

  it('completes command names from CAPA', () => {
    const withTop = new Capabilities(['TOP', 'UIDL', 'USER', 'PIPELINING']);
    const names = consoleCommandNames(withTop);
    expect(names).toEqual(['CAPA', 'DELE', 'LIST', 'NOOP', 'QUIT', 'RETR', 'RSET', 'STAT', 'TOP', 'UIDL']);
    expect(consoleCommandNames(new Capabilities(['USER']))).not.toContain('TOP');
    expect(consoleCommandNames(null)).toContain('UIDL');
    expect(completeConsoleCommand('st', names)).toEqual({ text: 'STAT', candidates: ['STAT'] });
    expect(completeConsoleCommand('t', names)).toEqual({ text: 'TOP ', candidates: ['TOP'] });
    expect(completeConsoleCommand('R', names)).toEqual({ text: 'R', candidates: ['RETR', 'RSET'] });
    expect(completeConsoleCommand('c', ['CAPA', 'CAPX'])).toEqual({
      text: 'CAP',
      candidates: ['CAPA', 'CAPX'],
    });
    expect(completeConsoleCommand('LIST 1', names).candidates).toEqual([]);
  });
});
