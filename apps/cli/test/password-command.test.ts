import { describe, expect, it } from 'vitest';

import { PASSWORD, serverArgs, serverPerTest, webpop } from './helpers.js';
import { standardMailbox } from './messages.js';

// USER/PASS only (with --allow-plaintext): the password itself goes over the wire, so the trace
// would show it were it not redacted.
const start = serverPerTest({
  accounts: [{ username: 'alice', password: PASSWORD, messages: standardMailbox() }],
  features: { sasl: [], apop: false },
});

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
