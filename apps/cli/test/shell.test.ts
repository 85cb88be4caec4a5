import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { consoleCommandNames } from '@webpop/pop3';
import { completeLine, forgetRefused } from '../src/shell/completion.js';
import { commandsSince, PASSWORD, serverArgs, serverPerTest, webpop, withTempDir } from './helpers.js';

const message = (subject: string, body: string) =>
  new TextEncoder().encode(`From: bob@example.org\r\nSubject: ${subject}\r\n\r\n${body}`);

const start = serverPerTest({
  accounts: [
    {
      username: 'alice',
      password: PASSWORD,
      messages: [message('one', 'first\r\n'), message('two', `${'line\r\n'.repeat(40)}.dot\r\n`)],
    },
  ],
});

/** `webpop shell` with the script given on stdin (`--script -`). */
async function shell(server: { host: string; port: number }, script: string, extra: string[] = []) {
  const stdin = new PassThrough();
  stdin.end(script);
  return webpop(['shell', ...serverArgs(server), '--script', '-', ...extra], { stdin });
}

async function messagesLeft(server: { host: string; port: number }): Promise<number> {
  const stat = await webpop(['stat', ...serverArgs(server), '--json']);
  return (JSON.parse(stat.stdout) as { count: number }).count;
}

describe('webpop shell --script', () => {
  it('replays a telnet session: each command answered in the transcript and explained', async () => {
    const pop3 = await start();
    const run = await shell(
      pop3,
      '# a comment, then a blank line\n\nSTAT\nlist 1\nUIDL\nTOP 1 0\nRETR 2\nDELE 1\nRSET\nNOOP\nQUIT\n',
      ['--auth', 'user', '--allow-plaintext'],
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const { stdout } = run;
    expect(stdout).toMatch(/^S: \+OK .*<[^>]+>\n/); // the greeting first
    expect(stdout).toContain('C: USER alice\n');
    expect(stdout).toContain('C: PASS ***\n');
    expect(stdout).not.toContain(PASSWORD);
    expect(stdout).toContain('# Signed in as alice (USER) without TLS');
    expect(stdout).toContain('C: STAT\nS: +OK 2 ');
    expect(stdout).toContain('# 2 messages of ');
    expect(stdout).toContain('C: LIST 1\nS: +OK 1 ');
    expect(stdout).toContain('C: TOP 1 0\nS: +OK');
    // RETR: its first 20 lines and its size, not the whole message.
    expect(stdout).toMatch(/C: RETR 2\nS: \+OK[^\n]*\nS: From: bob@example.org\n/);
    expect(stdout).toMatch(/S: \[\d+ more octets, \d+ in all\]\nS: \.\n/);
    expect(stdout.match(/^S: line$/gm)).toHaveLength(17);
    expect(stdout).toContain('# Message 1 is marked for deletion. Deletions commit only at QUIT');
    expect(stdout).toContain('# Every deletion mark of this session is removed');
    expect(stdout).toMatch(/C: QUIT\nS: \+OK[^\n]*\n# The session has ended/);
    const sent = commandsSince(pop3, 0).slice(-9);
    expect(sent).toEqual(['STAT', 'LIST 1', 'UIDL', 'TOP 1 0', 'RETR 2', 'DELE 1', 'RSET', 'NOOP', 'QUIT']);
    expect(await messagesLeft(pop3)).toBe(2);
  });

  it('stops at the first -ERR with exit status 1; the DELE before it is taken back, nothing after is sent', async () => {
    const pop3 = await start();
    const run = await shell(pop3, 'DELE 1\nRETR 9\nSTAT\nQUIT\n');
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^webpop: line 2: RETR 9 was answered -ERR "[^"]+"\n$/);
    const sent = commandsSince(pop3, 0);
    expect(sent.slice(sent.indexOf('DELE 1'))).toEqual(['DELE 1', 'RETR 9', 'RSET', 'QUIT']);
    expect(await messagesLeft(pop3)).toBe(2);
  });

  it('a script that ends without QUIT deletes nothing: RSET, then QUIT', async () => {
    const pop3 = await start();
    const run = await shell(pop3, 'DELE 1\nDELE 2\n');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('# The end of input is not a QUIT: RSET takes back the deletion marks');
    expect(commandsSince(pop3, 0).slice(-4)).toEqual(['DELE 1', 'DELE 2', 'RSET', 'QUIT']);
    expect(await messagesLeft(pop3)).toBe(2);
  });

  it('a QUIT it types commits the deletions; a command after it is an error', async () => {
    const pop3 = await start();
    const run = await shell(pop3, 'DELE 1\nQUIT\nSTAT\n');
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('webpop: line 3: the session ended at the QUIT on line 2\n');
    expect(await messagesLeft(pop3)).toBe(1);
  });

  it('refuses PASS, APOP, AUTH and USER typed: never sent, never shown, and the script stops', async () => {
    const pop3 = await start();
    for (const line of [`PASS ${PASSWORD}`, `APOP alice ${PASSWORD}`, `AUTH PLAIN ${PASSWORD}`, 'USER bob']) {
      const mark = pop3.commandLog.length;
      const run = await shell(pop3, `STAT\n${line}\nNOOP\n`);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/^webpop: line 2: not sent: (PASS|APOP|AUTH|USER) /);
      expect(run.stdout).toMatch(/# not sent: /);
      expect(run.stdout + run.stderr).not.toContain(PASSWORD);
      // The login's own commands, then STAT and the QUIT that ends it: not the typed line, not NOOP.
      expect(commandsSince(pop3, mark).slice(-2)).toEqual(['STAT', 'QUIT']);
    }
  });

  it('HELP answered multi-line by the server is read to its end (detected)', async () => {
    const pop3 = await start({ quirks: { help: 'multi' } });
    const run = await shell(pop3, 'HELP\nSTAT\n');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/C: HELP\nS: \+OK[^\n]*\n/);
    expect(run.stdout).toMatch(/S: RETR\n/);
    // The NOOP the engine sends behind HELP to tell where its reply ends is in the dialogue too.
    expect(run.stdout).toContain('C: NOOP (to tell where the reply ends)\n');
    expect(run.stdout).toMatch(/C: STAT\n(S: \+OK NOOP\n)?S: \+OK 2 /);
  });

  it('--json: one object per command on stdout, the notes on stderr', async () => {
    const pop3 = await start();
    const run = await shell(pop3, 'STAT\nLIST\nRETR 7\n', ['--json']);
    expect(run.code).toBe(1);
    const objects = run.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(objects.map(({ command, ok }) => [command, ok])).toEqual([
      ['STAT', true],
      ['LIST', true],
      ['RETR 7', false],
    ]);
    expect(objects[1]).toMatchObject({
      multiLine: true,
      lines: [expect.stringMatching(/^1 \d+$/), expect.stringMatching(/^2 \d+$/)],
    });
    expect(run.stderr).toContain('# Signed in as alice');
    expect(run.stderr).toContain('webpop: line 3: RETR 7 was answered -ERR');
  });

  it('--script FILE: an unreadable file fails before connecting', async () => {
    const pop3 = await start();
    await withTempDir(async (dir) => {
      const missing = await webpop(['shell', ...serverArgs(pop3), '--script', join(dir, 'none.pop3')]);
      expect(missing.code).toBe(1);
      expect(missing.stderr).toMatch(/^webpop: cannot read the script .*none\.pop3/);
      expect(pop3.connectionCount).toBe(0);
      const file = join(dir, 'check.pop3');
      await writeFile(file, 'STAT\r\nUIDL 1\r\n');
      const run = await webpop(['shell', ...serverArgs(pop3), '--script', file]);
      expect(run.code).toBe(0);
      expect(run.stdout).toContain('C: UIDL 1\nS: +OK 1 ');
    });
  });
});

describe('webpop shell at a terminal', () => {
  it('asks before a QUIT that deletes; Ctrl-D (end of input) leaves without deleting', async () => {
    const pop3 = await start();
    const stdin = new PassThrough();
    const pending = webpop(['shell', ...serverArgs(pop3)], { stdin, isTTY: { stdin: true } });
    stdin.write('DELE 1\nQUIT\n');
    stdin.end('NOOP\n');
    const run = await pending;
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('# Commands: CAPA DELE LIST NOOP QUIT RETR RSET STAT TOP UIDL.');
    expect(run.stdout).toContain(
      '# QUIT deletes the 1 message marked with DELE (1). Type QUIT again to delete',
    );
    expect(commandsSince(pop3, 0).slice(-4)).toEqual(['DELE 1', 'NOOP', 'RSET', 'QUIT']);
    expect(await messagesLeft(pop3)).toBe(2);
  });

  it('QUIT typed twice deletes', async () => {
    const pop3 = await start();
    const stdin = new PassThrough();
    const pending = webpop(['shell', ...serverArgs(pop3)], { stdin, isTTY: { stdin: true } });
    stdin.end('DELE 2\nQUIT\nQUIT\n');
    const run = await pending;
    expect(run.code).toBe(0);
    expect(commandsSince(pop3, 0).slice(-2)).toEqual(['DELE 2', 'QUIT']);
    expect(await messagesLeft(pop3)).toBe(1);
  });
});

describe('completion and history', () => {
  const names = consoleCommandNames(null);

  it('completes a command name in the case typed, with a space when it takes arguments', () => {
    expect(completeLine('st', names)).toEqual([['stat'], 'st']);
    expect(completeLine('RE', names)).toEqual([
      ['RETR ', 'RSET'].filter((name) => name.startsWith('RE')),
      'RE',
    ]);
    expect(completeLine('ua', names)).toEqual([[], 'ua']);
    expect(completeLine('dele 1', names)).toEqual([[], 'dele 1']);
    expect(completeLine('to', names)).toEqual([['top '], 'to']);
  });

  it('drops a refused line from the history (it may hold a password), keeps the others', () => {
    const context = { state: 'transaction', encrypted: true } as const;
    const history = [`PASS ${PASSWORD}`, 'STAT'];
    forgetRefused(history, context);
    expect(history).toEqual(['STAT']);
    forgetRefused(history, context);
    expect(history).toEqual(['STAT']);
  });
});
