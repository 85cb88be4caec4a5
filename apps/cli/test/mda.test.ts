import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { toCrlf } from '@webpop/testkit';
import { toLf } from '../src/deliver/line-endings.js';
import { PASSWORD, serverArgs, serverPerTest, stateHome, webpop, withTempDir } from './helpers.js';
import { standardMailbox } from './messages.js';

const start = serverPerTest({
  accounts: [{ username: 'alice', password: PASSWORD, messages: standardMailbox() }],
});

/** An MDA in sh: each message into a file of its own in $DROP; the Newsletter refused with 75 (EX_TEMPFAIL). */
const mda =
  'f=$(mktemp "$DROP/msg.XXXXXX") && cat > "$f" && if grep -q "^Subject: Newsletter" "$f"; then rm "$f"; echo "no room" >&2; exit 75; fi';

describe('webpop fetch --mda CMD', () => {
  it('pipes each message (LF line ends) to the MDA; only what it took (exit 0) is deleted', async () => {
    const pop3 = await start();
    await withTempDir(async (dir) => {
      const env = { WEBPOP_PASSWORD: PASSWORD, XDG_STATE_HOME: stateHome(), DROP: dir };
      const run = await webpop(['fetch', ...serverArgs(pop3), '--mda', mda, '--delete', '--json'], { env });
      expect(run.code).toBe(1);
      const summary = JSON.parse(run.stdout) as {
        saved: number;
        deleted: number;
        failures: Array<{ error: string }>;
      };
      expect(summary).toMatchObject({ saved: 5, deleted: 5, failed: 1 });
      expect(summary.failures[0]!.error).toBe(
        'the MDA (--mda) exited with status 75 (EX_TEMPFAIL: try again later)',
      );
      expect(run.stderr).toContain('no room'); // the MDA's stderr passes through
      const delivered = await Promise.all((await readdir(dir)).map((name) => readFile(join(dir, name))));
      const expected = standardMailbox()
        .filter((message) => !message.includes('Subject: Newsletter'))
        .map((message) => Buffer.from(toLf(toCrlf(message))));
      expect(delivered.sort(Buffer.compare)).toEqual(expected.sort(Buffer.compare));
      const left = pop3.accounts.get('alice')!.messages;
      expect(left).toHaveLength(1);
      expect(Buffer.from(left[0]!.bytes).toString('latin1')).toContain('Subject: Newsletter');

      // The next run offers the MDA the one it refused, and nothing else.
      const again = await webpop(['fetch', ...serverArgs(pop3), '--mda', 'cat > "$DROP/again"', '--json'], {
        env,
      });
      expect(again.code).toBe(0);
      expect(JSON.parse(again.stdout)).toMatchObject({ saved: 1, skipped: 0 });
      expect(await readFile(join(dir, 'again'), 'latin1')).toContain('Subject: Newsletter');
    });
  });

  it('an MDA that cannot run, or is killed, delivers nothing and deletes nothing', async () => {
    const pop3 = await start();
    await withTempDir(async () => {
      const missing = await webpop([
        'fetch',
        ...serverArgs(pop3),
        '--mda',
        'webpop-no-such-mda',
        '--delete',
        '--json',
      ]);
      expect(missing.code).toBe(1);
      expect(JSON.parse(missing.stdout)).toMatchObject({ saved: 0, deleted: 0, failed: 6 });
      expect(missing.stderr).toContain('not found'); // sh says so
      const killed = await webpop([
        'fetch',
        ...serverArgs(pop3),
        '--mda',
        'kill -TERM $$',
        '--delete',
        '--json',
      ]);
      expect(JSON.parse(killed.stdout).failures[0].error).toBe('the MDA (--mda) was killed by SIGTERM');
      expect(pop3.accounts.get('alice')!.messages).toHaveLength(6);
    });
  });
});
