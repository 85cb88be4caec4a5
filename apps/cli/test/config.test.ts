import { chmod, mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseNetrc, netrcPassword } from '../src/netrc.js';
import { PASSWORD, serverPerTest, stateHome, webpop, withTempDir } from './helpers.js';
import { standardMailbox } from './messages.js';

const start = serverPerTest({
  accounts: [{ username: 'alice', password: PASSWORD, messages: standardMailbox().slice(0, 2) }],
});

/** A HOME with .config/webpop/config.toml holding `toml`; returns it. */
async function homeWithConfig(dir: string, toml: string): Promise<string> {
  const home = join(dir, '..', 'home');
  await mkdir(join(home, '.config', 'webpop'), { recursive: true });
  await writeFile(join(home, '.config', 'webpop', 'config.toml'), toml);
  return home;
}

const account = (pop3: { host: string; port: number }, extra = '') => `
# the test account
[accounts.test]
host = "${pop3.host}"
port = ${pop3.port}
security = "none"
user = "alice"
password-command = "printf '%s' '${PASSWORD}'"
${extra}
`;

describe('accounts in the config file (--account)', () => {
  it('fill in every option the command line leaves out; fetch paths are read from the file folder', async () => {
    const pop3 = await start();
    await withTempDir(async (dir) => {
      const home = await homeWithConfig(dir, account(pop3, 'out = "../../mail"\njson = true'));
      const env = { HOME: home, XDG_STATE_HOME: stateHome() };
      const stat = await webpop(['stat', '--account', 'test'], { env });
      expect(stat.stderr).toBe('');
      expect(JSON.parse(stat.stdout)).toMatchObject({ count: 2 });
      // `out` (a fetch option) is ignored by stat, and used by fetch, relative to the config's folder.
      const fetch = await webpop(['fetch', '--account', 'test'], { env });
      expect(fetch.code).toBe(0);
      expect(JSON.parse(fetch.stdout)).toMatchObject({ saved: 2, out: join(home, 'mail') });
      expect(await readdir(join(home, 'mail'))).toHaveLength(2);
      // The command line wins over the file.
      const text = await webpop(['stat', '--account', 'test', '--user', 'bob'], { env });
      expect(text.code).toBe(1);
      expect(text.stderr).toContain('login failed for user bob');
    });
  });

  it('--config FILE names another file; XDG_CONFIG_HOME moves the default', async () => {
    const pop3 = await start();
    await withTempDir(async (dir) => {
      const file = join(dir, 'other.toml');
      await writeFile(file, account(pop3));
      expect((await webpop(['stat', '--account', 'test', '--config', file], { env: {} })).code).toBe(0);
      await mkdir(join(dir, 'xdg', 'webpop'), { recursive: true });
      await writeFile(join(dir, 'xdg', 'webpop', 'config.toml'), account(pop3));
      expect(
        (await webpop(['stat', '--account', 'test'], { env: { XDG_CONFIG_HOME: join(dir, 'xdg') } })).code,
      ).toBe(0);
    });
  });

  it.each([
    ['', /there is no config file .*config\.toml/],
    ['[accounts.work]\nhost = "h"\n', /has no account 'test' \(it has: work\)/],
    ['[accounts.test]\nhots = "h"\n', /account 'test': unknown key 'hots'/],
    ['[accounts.test]\npassword = "hunter2"\n', /'password' is not accepted: .*password-command/],
    ['[accounts.test]\nport = true\n', /'port' must be a string or a number/],
    ['[accounts.test]\ndelete = "yes"\n', /'delete' must be true or false/],
    ['[accounts.test\nhost = "h"\n', /is not valid TOML \(line 1, column \d+\)/],
    ['host = "h"\n', /unknown table or key 'host'/],
  ])('a mistake in the file is a usage error that says where: %j', async (toml, expected) => {
    await withTempDir(async (dir) => {
      const home = join(dir, '..', 'home');
      if (toml !== '') await homeWithConfig(dir, toml);
      const result = await webpop(['fetch', '--account', 'test'], { env: { HOME: home } });
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(expected);
      expect(result.stderr).not.toContain('hunter2');
    });
  });

  it('--config without --account is refused', async () => {
    const result = await webpop(['stat', '--host', 'h', '--user', 'u', '--config', 'x.toml']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--config FILE is read only with --account NAME');
  });
});

describe('.netrc', () => {
  it('gives the password when neither --password-command nor WEBPOP_PASSWORD does', async () => {
    const pop3 = await start();
    await withTempDir(async (dir) => {
      const netrc = join(dir, 'netrc');
      await writeFile(
        netrc,
        `machine other.example login alice password nope\n` +
          `macdef init\nmachine ${pop3.host} password wrong\n\n` +
          `machine ${pop3.host} login bob password nope\nmachine ${pop3.host} login alice password "${PASSWORD}"\n`,
      );
      await chmod(netrc, 0o600);
      const result = await webpop(
        ['stat', '--host', pop3.host, '--port', String(pop3.port), '--security', 'none', '--user', 'alice'],
        {
          env: { NETRC: netrc },
        },
      );
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      // WEBPOP_PASSWORD wins over it.
      const wrong = await webpop(
        ['stat', '--host', pop3.host, '--port', String(pop3.port), '--security', 'none', '--user', 'alice'],
        {
          env: { NETRC: netrc, WEBPOP_PASSWORD: 'wrong' },
        },
      );
      expect(wrong.code).toBe(1);
    });
  });

  it('is refused when other users may read it, before connecting', async () => {
    const pop3 = await start();
    await withTempDir(async (dir) => {
      const netrc = join(dir, 'netrc');
      await writeFile(netrc, `machine ${pop3.host} login alice password ${PASSWORD}\n`);
      await chmod(netrc, 0o644);
      const result = await webpop(
        ['stat', '--host', pop3.host, '--port', String(pop3.port), '--security', 'none', '--user', 'alice'],
        {
          env: { NETRC: netrc },
        },
      );
      expect(result.code).toBe(1);
      expect(result.stderr).toBe(
        `webpop: ${netrc} holds a password but other users may read it: make it private with chmod 600 ${netrc}\n`,
      );
      expect(pop3.connectionCount).toBe(0);
    });
  });

  it('parses machine, default, quoted values and skips macros', () => {
    const entries = parseNetrc(
      'default login x password d\nmachine m.example login a password "two words"\n',
    );
    expect(netrcPassword(entries, 'M.example', 'a')).toBe('two words');
    expect(netrcPassword(entries, 'm.example', 'b')).toBeUndefined();
    expect(netrcPassword(entries, 'elsewhere', 'x')).toBe('d');
  });
});
