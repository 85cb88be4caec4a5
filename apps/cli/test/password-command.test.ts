import { afterEach, describe, expect, it } from 'vitest';
import { startPop3Server, type RunningPop3Server } from '@webpop/testkit';
import { PASSWORD, serverArgs, webpop } from './helpers.js';
import { standardMailbox } from './messages.js';

let server: RunningPop3Server | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(): Promise<RunningPop3Server> {
  // USER/PASS only (with --allow-plaintext): the password itself goes over the wire, so the trace
  // would show it were it not redacted.
  server = await startPop3Server({
    accounts: [{ username: 'alice', password: PASSWORD, messages: standardMailbox() }],
    features: { sasl: [], apop: false },
  });
  return server;
}

const printPassword = `printf '%s\\n' '${PASSWORD}'`;

describe('--password-command', () => {
  it('logs in with what the command prints, over WEBPOP_PASSWORD, and never shows it', async () => {
    const pop3 = await start();
    const result = await webpop(
      ['stat', ...serverArgs(pop3), '--allow-plaintext', '--trace', '--password-command', printPassword],
      { env: { WEBPOP_PASSWORD: 'wrong' } },
    );
    expect(result.stderr).toContain('C: PASS');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^6 messages/);
    expect(result.stdout + result.stderr).not.toContain(PASSWORD);
  });

  it('a failing command stops before connecting, said by its exit status only', async () => {
    const pop3 = await start();
    const result = await webpop(
      ['stat', ...serverArgs(pop3), '--password-command', `echo '${PASSWORD}'; echo trouble >&2; exit 3`],
      { env: {} },
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'trouble\nwebpop: the password command (--password-command) failed with exit status 3\n',
    );
    expect(pop3.connectionCount).toBe(0);
  });

  it('an empty output is no password', async () => {
    const pop3 = await start();
    const result = await webpop(['stat', ...serverArgs(pop3), '--password-command', 'true'], { env: {} });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('webpop: the password command (--password-command) printed nothing\n');
    expect(pop3.connectionCount).toBe(0);
  });
});
