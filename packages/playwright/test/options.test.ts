import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { optionsFromEnvironment } from '../src/environment-options.js';
import { MailboxConfigError } from '../src/errors.js';
import { Mailbox } from '../src/mailbox.js';
import { mergeMailboxOptions, resolveMailboxOptions } from '../src/resolve-options.js';
import { rejectionOf } from './support/rejection.js';

const secret = 'hunter2-secret';

describe('options from the environment', () => {
  it('reads every WEBPOP_POP3_* variable', () => {
    const options = optionsFromEnvironment({
      WEBPOP_POP3_HOST: ' pop.example.test ',
      WEBPOP_POP3_PORT: '1995',
      WEBPOP_POP3_SECURITY: 'STARTTLS',
      WEBPOP_POP3_USER: 'alice',
      WEBPOP_POP3_ADDRESS: 'alice@example.test',
      WEBPOP_POP3_PASSWORD: ' spaces kept ',
      WEBPOP_POP3_ACCESS_TOKEN: 'token',
      WEBPOP_POP3_AUTH: 'cram-md5',
      WEBPOP_POP3_CA_FILE: '/etc/ca.pem',
      WEBPOP_POP3_SERVERNAME: 'localhost',
      WEBPOP_POP3_ALLOW_PLAINTEXT: 'yes',
      WEBPOP_POP3_CLEANUP: 'all',
      WEBPOP_POP3_LOG: '0',
    });
    expect(options).toEqual({
      host: 'pop.example.test',
      port: 1995,
      security: 'starttls',
      username: 'alice',
      address: 'alice@example.test',
      password: ' spaces kept ',
      accessToken: 'token',
      auth: 'cram-md5',
      caFile: '/etc/ca.pem',
      servername: 'localhost',
      allowPlaintext: true,
      cleanup: 'all',
    });
  });

  it('ignores empty variables and names the variable of a bad value', () => {
    expect(optionsFromEnvironment({ WEBPOP_POP3_HOST: '', WEBPOP_POP3_PORT: ' ' })).toEqual({});
    expect(() => optionsFromEnvironment({ WEBPOP_POP3_PORT: '99999' })).toThrow(
      'WEBPOP_POP3_PORT must be a port number from 1 to 65535, not "99999"',
    );
    expect(() => optionsFromEnvironment({ WEBPOP_POP3_SECURITY: 'ssl' })).toThrow(
      "WEBPOP_POP3_SECURITY must be one of 'tls', 'starttls', 'none', not \"ssl\"",
    );
    expect(() => optionsFromEnvironment({ WEBPOP_POP3_ALLOW_PLAINTEXT: 'maybe' })).toThrow(
      MailboxConfigError,
    );
  });
});

describe('resolveMailboxOptions', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'webpop-playwright-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('applies the defaults: TLS on 995, auto login, consumed cleanup', async () => {
    const resolved = await resolveMailboxOptions({ host: 'h', username: 'u', password: secret }, {});
    expect(resolved).toMatchObject({
      host: 'h',
      port: 995,
      security: 'tls',
      auth: 'auto',
      allowPlaintext: false,
      cleanup: 'consumed',
      timeout: 20_000,
      pollInterval: 1_000,
      ca: undefined,
    });
    const plain = await resolveMailboxOptions(
      { host: 'h', username: 'u', password: 'p', security: 'none' },
      {},
    );
    expect(plain.port).toBe(110);
  });

  it('takes given options over the environment, and the environment for what is missing', async () => {
    const resolved = await resolveMailboxOptions(
      { host: 'from-config', port: undefined, username: 'alice' },
      { WEBPOP_POP3_HOST: 'from-env', WEBPOP_POP3_PORT: '2110', WEBPOP_POP3_PASSWORD: secret },
    );
    expect(resolved).toMatchObject({ host: 'from-config', port: 2110, username: 'alice', password: secret });
  });

  it('says what is missing and where to set it, never showing a secret', async () => {
    await expect(resolveMailboxOptions({}, {})).rejects.toThrow(
      'mailbox: no host: set use.mailbox.host in playwright.config.ts, or WEBPOP_POP3_HOST',
    );
    await expect(resolveMailboxOptions({ host: 'h', password: secret }, {})).rejects.toThrow(
      'mailbox: no username: set use.mailbox.username in playwright.config.ts, or WEBPOP_POP3_USER',
    );
    await expect(resolveMailboxOptions({ host: 'h', username: 'u' }, {})).rejects.toThrow(
      'mailbox: no password or access token for u',
    );
    const error = await rejectionOf(
      resolveMailboxOptions({ host: 'h', username: 'u', password: secret, port: 0 }, {}),
    );
    expect(error).toBeInstanceOf(MailboxConfigError);
    expect(error.message).not.toContain(secret);
  });

  it('reads the CA file and adds it to the given CAs', async () => {
    const caFile = join(dir, 'ca.pem');
    await writeFile(caFile, 'FILE PEM');
    const resolved = await resolveMailboxOptions(
      { host: 'h', username: 'u', password: 'p', ca: 'GIVEN PEM', caFile },
      {},
    );
    expect(resolved.ca?.map(String)).toEqual(['GIVEN PEM', 'FILE PEM']);
    await expect(
      resolveMailboxOptions(
        { host: 'h', username: 'u', password: 'p', caFile: join(dir, 'missing.pem') },
        {},
      ),
    ).rejects.toThrow(`mailbox: cannot read the CA file ${join(dir, 'missing.pem')}`);
  });

  it('merges layers, an undefined option not hiding the one below', () => {
    expect(mergeMailboxOptions({ host: 'a', port: 1 }, undefined, { host: undefined, port: 2 })).toEqual({
      host: 'a',
      port: 2,
    });
  });

  it('keeps the password out of inspect() and console.log of a Mailbox', () => {
    const mailbox = new Mailbox({ host: 'h', username: 'u', password: secret });
    expect(inspect(mailbox, { depth: 10, showHidden: true })).not.toContain(secret);
  });
});
