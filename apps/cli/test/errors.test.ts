import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { freeLoopbackPort } from '@webpop/testkit';
import { FakeTerminalInput, PASSWORD, serverArgs, serverPerTest, webpop } from './helpers.js';
import { standardMailbox } from './messages.js';

const start = serverPerTest({
  accounts: [{ username: 'alice', password: PASSWORD, messages: standardMailbox().slice(0, 2) }],
});

describe('the password', () => {
  it('is refused on the command line, without echoing it', async () => {
    for (const flag of [['--password', 'hunter2'], ['--password=hunter2'], ['--pass=hunter2']]) {
      const result = await webpop(['stat', '--host', 'h', '--user', 'u', ...flag]);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(
        /^webpop: --pass(word)? is not accepted: a password on the command line can be read by other users/,
      );
      expect(result.stderr).toContain('WEBPOP_PASSWORD');
      expect(result.stderr).not.toContain('hunter2');
    }
  });

  it('is required: no variable and no terminal is a clear error', async () => {
    const pop3 = await start();
    const result = await webpop(['stat', ...serverArgs(pop3)], { env: {} });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      'webpop: no password: set the WEBPOP_PASSWORD environment variable, or run webpop in a terminal',
    );
    expect(pop3.connectionCount).toBe(0);
  });

  it('is asked for on a terminal with echo off', async () => {
    const pop3 = await start();
    const stdin = new FakeTerminalInput();
    const pending = webpop(['stat', ...serverArgs(pop3)], { env: {}, isTTY: true, stdin });
    await stdin.prompting;
    stdin.write(`${PASSWORD}x\u007f\r`); // a typo, corrected with backspace
    const result = await pending;
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^2 messages/);
    expect(stdin.rawModes).toEqual([true, false]);
    expect(result.stderr).toBe(`Password for alice at ${pop3.host}: \n`);
    expect(result.stdout + result.stderr).not.toContain(PASSWORD);
  });

  it('the prompt can be cancelled with Ctrl-C', async () => {
    const stdin = new FakeTerminalInput();
    const pending = webpop(['stat', '--host', '127.0.0.1', '--user', 'alice'], {
      env: {},
      isTTY: true,
      stdin,
    });
    await stdin.prompting;
    stdin.write('abc\u0003');
    const result = await pending;
    expect(result.code).toBe(130);
    expect(result.stderr).toContain('webpop: cancelled at the password prompt');
  });

  it('never appears in --trace', async () => {
    const pop3 = await start();
    const result = await webpop([
      'stat',
      ...serverArgs(pop3),
      '--auth',
      'user',
      '--allow-plaintext',
      '--trace',
    ]);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('C: USER alice');
    expect(result.stderr).toMatch(/C: PASS \S/);
    expect(result.stderr).toContain('S: +OK Logged in');
    expect(result.stderr).not.toContain(PASSWORD);
  });
});

describe('plaintext', () => {
  it('is refused without --allow-plaintext, with a message naming the flag', async () => {
    const pop3 = await start({ features: { sasl: [], apop: false } });
    const refused = await webpop(['stat', ...serverArgs(pop3)]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(
      /^webpop: refusing to send the password in clear \(USER\) over a connection without TLS\./,
    );
    expect(refused.stderr).toContain('--allow-plaintext');
    expect(pop3.commandLog.some((entry) => entry.command.startsWith('PASS'))).toBe(false);

    const allowed = await webpop(['stat', ...serverArgs(pop3), '--allow-plaintext']);
    expect(allowed.code).toBe(0);
    expect(pop3.commandLog.map((entry) => entry.command)).toContain('PASS ***');
  });

  it('is refused for an explicit --auth plain too', async () => {
    const pop3 = await start();
    const result = await webpop(['stat', ...serverArgs(pop3), '--auth', 'plain']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('(PLAIN)');
    expect(result.stderr).toContain('--allow-plaintext');
  });
});

describe('server errors', () => {
  it('a wrong password gives the server text and code, and names every method tried', async () => {
    const pop3 = await start();
    const result = await webpop(['stat', ...serverArgs(pop3)], { env: { WEBPOP_PASSWORD: 'wrong' } });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'webpop: login failed for user alice [AUTH]: the server refused every method tried (CRAM-MD5, APOP); to the last it said: "Authentication failed"\n',
    );
    const one = await webpop(['stat', ...serverArgs(pop3), '--auth', 'cram-md5'], {
      env: { WEBPOP_PASSWORD: 'wrong' },
    });
    expect(one.stderr).toBe(
      'webpop: login failed for user alice [AUTH] (wrong user name or password?): the server said: "Authentication failed"\n',
    );
  });

  it.each([
    [
      'IN-USE',
      /^webpop: the mailbox is locked by another session \[IN-USE\].*"Mailbox is in use by another session"/,
    ],
    [
      'LOGIN-DELAY',
      /^webpop: logged in too soon after the last login \[LOGIN-DELAY\].*"Logged in too recently, try again later"/,
    ],
    ['SYS/TEMP', /^webpop: the server has a temporary problem \[SYS\/TEMP\]; try again later/],
  ] as const)('%s is explained', async (code, expected) => {
    const pop3 = await start({ faults: { loginError: code } });
    const result = await webpop(['list', ...serverArgs(pop3)]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(expected);
  });

  it('a locked mailbox (a second session at once)', async () => {
    const pop3 = await start({ features: { lockMailbox: true }, faults: { stallOn: 'NOOP' } });
    // The first session holds the lock while the second tries.
    const holder = net.connect(pop3.port, pop3.host);
    const lines: string[] = [];
    holder.on('data', (chunk) => lines.push(chunk.toString()));
    holder.write(`USER alice\r\nPASS ${PASSWORD}\r\n`);
    await expect.poll(() => lines.join('')).toContain('Logged in');
    const result = await webpop(['stat', ...serverArgs(pop3)]);
    holder.destroy();
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('[IN-USE]');
    expect(result.stderr).toContain('"Mailbox is locked by another session"');
  });

  it('a greeting with -ERR', async () => {
    const pop3 = await start({ faults: { greeting: 'err' } });
    const result = await webpop(['capa', ...serverArgs(pop3)]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^webpop: the server refused the connection \[SYS\/TEMP\]: the server said: "webpop-testkit is temporarily unavailable"/,
    );
  });

  it('cannot connect', async () => {
    const port = await freeLoopbackPort(); // nothing listens there
    const result = await webpop([
      'stat',
      '--host',
      '127.0.0.1',
      '--port',
      String(port),
      '--security',
      'none',
      '--user',
      'alice',
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `webpop: cannot connect to 127.0.0.1:${port}: connect ECONNREFUSED 127.0.0.1:${port}\n`,
    );
  });

  it('a server that stops answering times out after --timeout', async () => {
    const pop3 = await start({ faults: { stallOn: 'STAT' } });
    // Without --timeout it would wait 30 s, the test's own timeout: the message below comes sooner.
    const result = await webpop(['stat', ...serverArgs(pop3), '--timeout', '0.3']);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'webpop: timed out: STAT: no reply from the server within 300 ms (--timeout SECONDS to wait longer)\n',
    );
  });

  it('a server that does not speak POP3', async () => {
    const pop3 = await start({
      faults: { garbageOn: { command: 'STAT', line: 'HTTP/1.1 400 Bad Request' } },
    });
    const result = await webpop(['stat', ...serverArgs(pop3)]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^webpop: the server at 127\.0\.0\.1:\d+ does not speak POP3 as expected: /,
    );
  });
});

describe('usage', () => {
  it.each([
    [['list'], /--host is required/],
    [['list', '--host', 'h'], /--user is required/],
    [
      ['list', '--host', 'h', '--user', 'u', '--security', 'ssl'],
      /--security must be one of tls, starttls, none/,
    ],
    [['list', '--host', 'h', '--user', 'u', '--auth', 'kerberos'], /--auth must be one of/],
    [['list', '--host', 'h', '--user', 'u', '--port', '99999'], /--port must be a number from 1 to 65535/],
    [['list', '--host', 'h', '--user', 'u', '--timeout=-1'], /--timeout must be a positive number/],
    [['list', '--host', 'h', '--user', 'u', '--secret-flag=xyz'], /unknown option '--secret-flag'$/m],
    [['fetch', '--host', 'h', '--user', 'u'], /fetch needs --out DIR/],
    [['show', '--host', 'h', '--user', 'u'], /show needs the number of a message/],
    [['show', 'x', '--host', 'h', '--user', 'u'], /'x' is not a message number/],
    [['frobnicate'], /unknown command 'frobnicate'/],
    [['--host', 'h'], /a command must come first/],
  ])('%j → exit 2', async (argv, expected) => {
    const result = await webpop(argv);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(expected);
    expect(result.stderr).toMatch(/Try 'webpop( \w+)? --help'\.\n$/);
    expect(result.stderr).not.toContain('xyz');
  });

  it('--help for the whole command and for each command', async () => {
    const overall = await webpop(['--help']);
    expect(overall.code).toBe(0);
    for (const command of ['capa', 'stat', 'list', 'fetch', 'show'])
      expect(overall.stdout).toContain(`  ${command} `);
    for (const command of ['capa', 'stat', 'list', 'fetch', 'show']) {
      const help = await webpop([command, '-h']);
      expect(help.code).toBe(0);
      expect(help.stdout).toMatch(new RegExp(`^Usage: webpop ${command}`));
      expect((await webpop(['help', command])).stdout).toBe(help.stdout);
    }
    expect((await webpop(['fetch', '--help'])).stdout).toContain('--delete');
    expect((await webpop([])).stdout).toBe(overall.stdout);
  });

  it('--version', async () => {
    const result = await webpop(['--version']);
    expect(result).toMatchObject({ code: 0, stdout: 'webpop 0.1.0\n' });
  });
});
