import { randomBytes } from 'node:crypto';
import { chown, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDovecot, toCrlf, type RunningDovecot } from '@webpop/testkit';
import { stateHome, webpop, withTempDir } from './helpers.js';
import { attachmentBytes, standardMailbox, subjects } from './messages.js';

/** The real thing: a private Dovecot on loopback, over implicit TLS with its throwaway CA. */
let dovecot: RunningDovecot;
const password = randomBytes(12).toString('hex');
const messages = standardMailbox();

beforeAll(async () => {
  dovecot = await startDovecot({
    users: [
      { username: 'alice', password },
      { username: 'carol', password },
      { username: 'erin', password },
      { username: 'dave', password },
      { username: 'frank', password },
      { username: 'grace', password },
      { username: 'heidi', password },
      { username: 'ivan', password },
      { username: 'judy', password },
    ],
    messages: {
      alice: messages,
      carol: messages,
      erin: messages,
      frank: messages,
      heidi: messages,
      judy: messages,
    },
  });
}, 60_000);

function connectionArgs(caFile: string, user: string): string[] {
  return [
    '--host',
    dovecot.host,
    '--port',
    String(dovecot.pop3sPort),
    '--security',
    'tls',
    '--ca',
    caFile,
    '--user',
    user,
  ];
}
afterAll(async () => {
  await dovecot?.stop();
});

describe('against Dovecot', () => {
  it('list and fetch over TLS (--ca), byte-exact', async () => {
    await withTempDir(async (dir) => {
      const caFile = join(dir, 'ca.pem');
      await writeFile(caFile, dovecot.caPem);
      const args = connectionArgs(caFile, 'alice');
      const env = { WEBPOP_PASSWORD: password, XDG_STATE_HOME: stateHome() };

      const list = await webpop(['list', ...args, '--json'], { env });
      expect(list.stderr).toBe('');
      expect(list.code).toBe(0);
      const entries = JSON.parse(list.stdout) as Array<{ uid: string; subject: string; size: number }>;
      expect(entries).toHaveLength(messages.length);
      expect(new Set(entries.map((entry) => entry.subject))).toEqual(
        new Set([
          subjects.koi8r,
          subjects.latin9,
          subjects.cp1251,
          'dots',
          'Quarterly report – Q3',
          'Newsletter',
        ]),
      );

      const out = join(dir, 'backup');
      const fetch = await webpop(['fetch', ...args, '--out', out, '--json'], { env });
      expect(fetch.code).toBe(0);
      expect(JSON.parse(fetch.stdout)).toMatchObject({ saved: messages.length, skipped: 0, failed: 0 });
      const files = await readdir(out);
      expect(files).toHaveLength(messages.length);
      // Dovecot's message order is its own: match the saved files to the given messages by content.
      const saved = await Promise.all(files.map((file) => readFile(join(out, file))));
      const given = messages.map((message) => Buffer.from(toCrlf(message)));
      for (const message of given) expect(saved.some((file) => file.equals(message))).toBe(true);
      for (const entry of entries) expect(files).toContain(`${entry.uid}.eml`);

      const again = await webpop(['fetch', ...args, '--out', out, '--json'], { env });
      expect(JSON.parse(again.stdout)).toMatchObject({ saved: 0, skipped: messages.length });

      // --delete into a fresh folder with a fresh state file: all saved, verified, deleted at QUIT.
      const moved = await webpop(
        [
          'fetch',
          ...args,
          '--out',
          join(dir, 'moved'),
          '--state',
          join(dir, 'moved.jsonl'),
          '--delete',
          '--json',
        ],
        { env },
      );
      expect(JSON.parse(moved.stdout)).toMatchObject({
        saved: messages.length,
        deleted: messages.length,
        failed: 0,
      });
      expect(JSON.parse((await webpop(['stat', ...args, '--json'], { env })).stdout)).toEqual({
        count: 0,
        size: 0,
      });
    });
  });

  it('an interrupted --delete, then a clean run: the mailbox is empty and every message saved exactly once', async () => {
    await withTempDir(async (dir) => {
      const caFile = join(dir, '..', 'ca.pem');
      await writeFile(caFile, dovecot.caPem);
      const args = connectionArgs(caFile, 'carol');
      const env = { WEBPOP_PASSWORD: password, XDG_STATE_HOME: stateHome() };
      const interrupt = new AbortController();
      const first = await webpop(['fetch', ...args, '--out', dir, '--delete', '--json'], {
        env,
        signal: interrupt.signal,
        onStderr: (text) => {
          if (text.includes('saved 3/6:')) interrupt.abort();
        },
      });
      expect(first.code).toBe(130);
      const savedFirst = (JSON.parse(first.stdout) as { saved: number }).saved;
      expect(savedFirst).toBeGreaterThanOrEqual(3);
      expect(JSON.parse((await webpop(['stat', ...args, '--json'], { env })).stdout)).toMatchObject({
        count: messages.length,
      });

      const second = await webpop(['fetch', ...args, '--out', dir, '--delete', '--json'], { env });
      expect(second.code).toBe(0);
      expect(JSON.parse(second.stdout)).toMatchObject({
        saved: messages.length - savedFirst,
        skipped: savedFirst,
        deleted: messages.length,
        failed: 0,
      });
      expect(JSON.parse((await webpop(['stat', ...args, '--json'], { env })).stdout)).toEqual({
        count: 0,
        size: 0,
      });
      const files = await readdir(dir);
      expect(files).toHaveLength(messages.length);
      const saved = await Promise.all(files.map((file) => readFile(join(dir, file))));
      for (const message of messages.map((m) => Buffer.from(toCrlf(m)))) {
        expect(saved.filter((file) => file.equals(message))).toHaveLength(1);
      }
    });
  });

  it('a Maildir webpop wrote is served by Dovecot itself, byte-exact', async () => {
    await withTempDir(async (dir) => {
      const caFile = join(dir, '..', 'ca.pem');
      await writeFile(caFile, dovecot.caPem);
      const env = { WEBPOP_PASSWORD: password, XDG_STATE_HOME: stateHome() };
      // Erin's mail delivered by webpop into Dave's Maildir (the folder Dovecot serves him from).
      const daves = join(dovecot.dir, 'mail', 'dave');
      const fetch = await webpop(['fetch', ...connectionArgs(caFile, 'erin'), '--maildir', daves, '--json'], {
        env,
      });
      expect(JSON.parse(fetch.stdout)).toMatchObject({ saved: messages.length, failed: 0 });
      // As the mail user would own its own delivery (webpop runs as root here).
      const owner = await stat(daves);
      for (const sub of ['new', 'cur', 'tmp']) {
        await chown(join(daves, sub), owner.uid, owner.gid);
        for (const name of await readdir(join(daves, sub)))
          await chown(join(daves, sub, name), owner.uid, owner.gid);
      }

      const back = await webpop(['fetch', ...connectionArgs(caFile, 'dave'), '--out', dir, '--json'], {
        env,
      });
      expect(back.stderr).not.toContain('webpop:');
      expect(JSON.parse(back.stdout)).toMatchObject({ saved: messages.length, failed: 0 });
      const saved = await Promise.all((await readdir(dir)).map((file) => readFile(join(dir, file))));
      for (const message of messages.map((m) => Buffer.from(toCrlf(m)))) {
        expect(saved.filter((file) => file.equals(message))).toHaveLength(1);
      }
    });
  });

  it('--mda into dovecot-lda: Dovecot serves what it delivered, and only then is it deleted', async () => {
    await withTempDir(async (dir) => {
      const caFile = join(dir, 'ca.pem');
      await writeFile(caFile, dovecot.caPem);
      const env = { WEBPOP_PASSWORD: password, XDG_STATE_HOME: stateHome() };
      const lda = `/usr/lib/dovecot/dovecot-lda -c ${join(dovecot.dir, 'dovecot.conf')} -d grace`;
      const fetch = await webpop(
        ['fetch', ...connectionArgs(caFile, 'frank'), '--mda', lda, '--delete', '--json'],
        {
          env,
        },
      );
      expect(fetch.stderr).not.toContain('webpop:');
      expect(fetch.stderr).toContain(
        '6 to download, 0 already saved through the MDA "/usr/lib/dovecot/dovecot-lda',
      );
      expect(fetch.code).toBe(0);
      expect(JSON.parse(fetch.stdout)).toMatchObject({ saved: messages.length, deleted: messages.length });
      const back = await webpop(['fetch', ...connectionArgs(caFile, 'grace'), '--out', dir, '--json'], {
        env,
      });
      expect(JSON.parse(back.stdout)).toMatchObject({ saved: messages.length, failed: 0 });
      const files = (await readdir(dir)).filter((name) => name.endsWith('.eml'));
      const served = await Promise.all(files.map((file) => readFile(join(dir, file))));
      // dovecot-lda may add trace fields above the message; the message itself is there byte for byte.
      for (const message of messages.map((m) => Buffer.from(toCrlf(m)))) {
        expect(served.some((file) => file.subarray(file.length - message.length).equals(message))).toBe(true);
      }
      const left = await webpop(['stat', ...connectionArgs(caFile, 'frank'), '--json'], { env });
      expect(JSON.parse(left.stdout)).toEqual({ count: 0, size: 0 });
    });
  });

  it('--add-headers into dovecot-lda: Dovecot serves each message under its Delivered-To and Received lines', async () => {
    await withTempDir(async (dir) => {
      const caFile = join(dir, 'ca.pem');
      await writeFile(caFile, dovecot.caPem);
      const env = { WEBPOP_PASSWORD: password, XDG_STATE_HOME: stateHome() };
      const lda = `/usr/lib/dovecot/dovecot-lda -c ${join(dovecot.dir, 'dovecot.conf')} -d ivan`;
      const fetch = await webpop(
        ['fetch', ...connectionArgs(caFile, 'heidi'), '--mda', lda, '--add-headers', '--delete', '--json'],
        { env },
      );
      expect(fetch.code).toBe(0);
      expect(JSON.parse(fetch.stdout)).toMatchObject({ saved: messages.length, deleted: messages.length });
      const back = await webpop(['fetch', ...connectionArgs(caFile, 'ivan'), '--out', dir, '--json'], {
        env,
      });
      expect(JSON.parse(back.stdout)).toMatchObject({ saved: messages.length, failed: 0 });
      const files = (await readdir(dir)).filter((name) => name.endsWith('.eml'));
      const served = await Promise.all(files.map((file) => readFile(join(dir, file))));
      const trace = `Delivered-To: heidi@${dovecot.host}\r\nReceived: from ${dovecot.host} by `;
      for (const message of messages.map((m) => Buffer.from(toCrlf(m)))) {
        const file = served.find((bytes) => bytes.subarray(bytes.length - message.length).equals(message));
        expect(file).toBeDefined();
        const head = file!.subarray(0, file!.length - message.length).toString('utf8');
        expect(head).toContain(trace);
        expect(head).toMatch(/\tfor <heidi@[^>]+>; \w{3}, \d\d \w{3} \d{4} [\d:]{8} \+0000\r\n$/);
      }
    });
  });
});

describe('against Dovecot: show by UIDL, attachments, certificates, ports', () => {
  it('show --uid shows the message Dovecot lists under that UIDL; --save-attachments writes its file', async () => {
    await withTempDir(async (dir) => {
      const caFile = join(dir, 'ca.pem');
      await writeFile(caFile, dovecot.caPem);
      const args = connectionArgs(caFile, 'judy');
      const env = { WEBPOP_PASSWORD: password, XDG_STATE_HOME: stateHome() };
      const list = JSON.parse((await webpop(['list', ...args, '--json'], { env })).stdout) as Array<{
        uid: string;
      }>;
      const uid = list[4]!.uid;
      const files = join(dir, 'files');
      const show = await webpop(['show', '--uid', uid, ...args, '--save-attachments', files], { env });
      expect(show.stderr).toBe('');
      expect(show.code).toBe(0);
      expect(show.stdout).toContain('Subject: Quarterly report – Q3');
      expect((await readFile(join(files, 'report-Q3.pdf'))).equals(attachmentBytes)).toBe(true);
      const unknown = await webpop(['show', '--uid', `${uid}x`, ...args], { env });
      expect(unknown.code).toBe(1);
      expect(unknown.stderr).toContain(`no message on the server has the UIDL "${uid}x"`);
    });
  });

  it('capa without the CA shows the refused certificate, the same one capa with --ca verifies; pinning it works', async () => {
    await withTempDir(async (dir) => {
      const caFile = join(dir, 'ca.pem');
      await writeFile(caFile, dovecot.caPem);
      const where = ['--host', dovecot.host, '--port', String(dovecot.pop3sPort)];
      const trusted = await webpop(['capa', ...where, '--ca', caFile, '--json'], { env: {} });
      const fingerprint = JSON.parse(trusted.stdout).tls.fingerprint256 as string;
      expect(fingerprint).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
      const refused = await webpop(['capa', ...where], { env: {} });
      expect(refused.code).toBe(1);
      expect(refused.stdout).toContain('  Subject:     CN=localhost\n');
      expect(refused.stdout).toContain('  Issuer:      CN=webpop testkit throwaway CA\n');
      expect(refused.stdout).toContain(`pin it: --fingerprint ${fingerprint}\n`);
      expect(refused.stderr).toMatch(
        /^webpop: certificate problem \(not trusted\): .*; the server's certificate: /,
      );
      const pinned = await webpop(['capa', ...where, '--fingerprint', fingerprint], { env: {} });
      expect(pinned.code).toBe(0);
      expect(pinned.stdout).toMatch(/^Greeting: +Dovecot/m);
    });
  });

  it('--security starttls on the pop3s port points at --security tls soon after connecting', async () => {
    const result = await webpop(
      ['stat', '--host', dovecot.host, '--port', String(dovecot.pop3sPort), '--security', 'starttls'].concat([
        '--user',
        'judy',
        '--timeout',
        '600',
      ]),
      { env: { WEBPOP_PASSWORD: password } },
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `webpop: ${dovecot.host}:${dovecot.pop3sPort} sent no POP3 greeting in 1.5 s and answered a TLS handshake: ` +
        'it speaks TLS from the first byte, as port 995 does, so use --security tls (--security starttls starts plain)\n',
    );
  }, 30_000);
});
