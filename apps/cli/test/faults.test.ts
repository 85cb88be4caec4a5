// Misbehaving servers (testkit's faults): each gives one clear line on stderr and exit code 1, never a
// partial message shown as if complete, and nothing deleted.
import { describe, expect, it } from 'vitest';
import { type Pop3Faults } from '@webpop/testkit';
import { PASSWORD, serverArgs, serverPerTest, webpop } from './helpers.js';
import { standardMailbox } from './messages.js';

const startServer = serverPerTest({
  accounts: [{ username: 'alice', password: PASSWORD, messages: standardMailbox().slice(0, 4) }],
});
const start = (faults: Pop3Faults) => startServer({ faults });

/** The one line on stderr (failing the test when there are more), without `webpop: `. */
function errorLine(stderr: string): string {
  const lines = stderr.trimEnd().split('\n');
  expect(lines, stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^webpop: /);
  return lines[0]!.slice('webpop: '.length);
}

describe('faults give one clear line and exit code 1', () => {
  it.each<[string, string[], Pop3Faults, RegExp]>([
    [
      'a drop during login',
      ['stat'],
      { dropAfterCommand: { command: 'AUTH' } },
      /^connection lost: .*AUTH.*\(run the command again to reconnect\)$/,
    ],
    [
      'a close right after the greeting',
      ['stat'],
      { greeting: 'close' },
      /^connection lost: the server closed the connection.*\(run the command again to reconnect\)$/,
    ],
    [
      'a drop in the middle of the TOP listing',
      ['list'],
      { dropAfterCommand: { command: 'TOP', after: 2, midResponseBytes: 30 } },
      /^connection lost: .*in the middle of the reply to TOP \d+ 0 \(run the command again to reconnect\)$/,
    ],
    [
      'a 1 MB line',
      ['stat'],
      { longLineOn: { command: 'STAT', bytes: 1024 * 1024 } },
      /^the server at 127\.0\.0\.1:\d+ does not speak POP3 as expected: .*longer than 65536 bytes/,
    ],
    [
      'bytes that are not text',
      ['list'],
      { binaryOn: { command: 'LIST' } },
      /^the server at 127\.0\.0\.1:\d+ does not speak POP3 as expected: /,
    ],
    [
      'a reply that is neither +OK nor -ERR',
      ['list'],
      { garbageOn: { command: 'UIDL', line: '* OK [CAPABILITY IMAP4rev1] ready' } },
      /^the server at 127\.0\.0\.1:\d+ does not speak POP3 as expected: .*neither \+OK nor -ERR/,
    ],
    [
      '-ERR [IN-USE] at login',
      ['stat'],
      { loginError: 'IN-USE' },
      /^the mailbox is locked by another session \[IN-USE\]/,
    ],
    [
      '-ERR [LOGIN-DELAY] at login',
      ['stat'],
      { loginError: 'LOGIN-DELAY' },
      /^logged in too soon after the last login \[LOGIN-DELAY\]/,
    ],
  ])('%s', async (_, command, faults, expected) => {
    const pop3 = await start(faults);
    const result = await webpop([...command, ...serverArgs(pop3)]);
    expect(result.code).toBe(1);
    const line = errorLine(result.stderr);
    expect(line).toMatch(expected);
    // Short, and printable: the server's bytes are not echoed to the terminal.
    expect(line.length).toBeLessThan(400);
    // eslint-disable-next-line no-control-regex
    expect(line).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f-\x9f]/);
    expect(pop3.commandLog.some((entry) => entry.command.startsWith('DELE'))).toBe(false);
  });

  it('a hostile -ERR text cannot drive the terminal: escape sequences and bidi overrides become ?', async () => {
    const server = await startServer({
      accounts: [{ username: 'alice', password: PASSWORD, messages: [] }],
      onCommand: (ctx) => {
        if (ctx.command !== 'STAT') return false;
        ctx.write('-ERR \x1b]0;owned\x07 \u009b2J \u202eevil\r\n');
        return true;
      },
    });
    const result = await webpop(['stat', ...serverArgs(server)]);
    expect(result.code).toBe(1);
    const line = errorLine(result.stderr);
    expect(line).toMatch(/^STAT failed: the server said: /);
    // eslint-disable-next-line no-control-regex
    expect(line).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202e]/);
    expect(line).toContain('evil');
  });

  it('a stalled server times out with a clear line', async () => {
    const pop3 = await start({ stallOn: 'LIST' });
    const result = await webpop(['list', ...serverArgs(pop3), '--timeout', '0.3']);
    expect(result.code).toBe(1);
    expect(errorLine(result.stderr)).toMatch(/^timed out: LIST: no reply from the server within 300 ms/);
  });

  it('show: a drop mid-RETR prints no part of the message', async () => {
    const pop3 = await start({ dropAfterCommand: { command: 'RETR', midResponseBytes: 200 } });
    for (const flag of [[], ['--raw']]) {
      const result = await webpop(['show', '1', ...flag, ...serverArgs(pop3)]);
      if (flag.length === 0) {
        expect(result.code).toBe(1);
        expect(result.stdout).toBe('');
        expect(errorLine(result.stderr)).toMatch(/^connection lost: .*in the middle of the reply to RETR 1/);
      } else {
        // The fault fires once: the second run gets the whole message.
        expect(result.code).toBe(0);
        expect(result.stdoutBytes.equals(standardMailbox()[0]!)).toBe(true);
      }
    }
  });
});
