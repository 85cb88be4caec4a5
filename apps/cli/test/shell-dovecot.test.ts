import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDovecot, type RunningDovecot } from '@webpop/testkit';
import { webpop } from './helpers.js';
import { standardMailbox } from './messages.js';

/** `webpop shell --script -` against a private Dovecot on loopback: the seeds' sessions replayed. */
let dovecot: RunningDovecot;
const password = randomBytes(12).toString('hex');
let caDir: string;
let caFile: string;

beforeAll(async () => {
  dovecot = await startDovecot({
    users: [{ username: 'typist', password }],
    messages: { typist: standardMailbox() },
  });
  caDir = await mkdtemp(join(tmpdir(), 'webpop-shell-ca-'));
  caFile = join(caDir, 'ca.pem');
  await writeFile(caFile, dovecot.caPem);
}, 60_000);

afterAll(async () => {
  await dovecot?.stop();
  await rm(caDir, { recursive: true, force: true });
});

async function shell(args: string[], script: string) {
  const stdin = new PassThrough();
  stdin.end(script);
  return webpop(
    ['shell', '--host', dovecot.host, '--user', 'typist', '--ca', caFile, ...args, '--script', '-'],
    {
      stdin,
      env: { WEBPOP_PASSWORD: password },
    },
  );
}

describe('webpop shell against Dovecot', () => {
  it('over TLS (--ca): STAT, LIST, UIDL, TOP, RETR, DELE, RSET, NOOP, QUIT answered; nothing deleted', async () => {
    const tls = ['--port', String(dovecot.pop3sPort)];
    const script = 'STAT\nLIST 1\nUIDL\nTOP 1 0\nRETR 1\nDELE 1\nRSET\nNOOP\nUIDL 1\nQUIT\n';
    const run = await shell(tls, script);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^S: \+OK Dovecot/);
    expect(run.stdout).toMatch(/# Signed in as typist \(\S+\) over TLSv1\.[23], certificate verified\./);
    expect(run.stdout).toContain('C: STAT\nS: +OK 6 ');
    expect(run.stdout).toMatch(/C: UIDL\nS: \+OK\n(S: \d \S+\n){6}S: \.\n/);
    expect(run.stdout).toContain('# Message 1 is marked for deletion.');
    expect(run.stdout).toMatch(/C: QUIT\nS: \+OK Logging out\.\n/);
    expect(run.stdout).not.toContain(password);
    const stat = await shell(tls, 'STAT\n');
    expect(stat.stdout).toContain('S: +OK 6 ');
  });

  it('exits 1 at the first -ERR (Dovecot has no HELP), sending nothing after it', async () => {
    const run = await shell(
      ['--port', String(dovecot.pop3Port), '--security', 'starttls'],
      'STAT\nHELP\nSTAT\n',
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^webpop: line 2: HELP was answered -ERR "[^"]+"\n$/);
    expect(run.stdout.match(/^C: STAT$/gm)).toHaveLength(1);
  });

  it('the seeds’ logins: USER/PASS after STLS (password hidden), and APOP with the greeting’s timestamp', async () => {
    const userPass = await shell(
      ['--port', String(dovecot.pop3Port), '--security', 'starttls', '--auth', 'user'],
      'STAT\nQUIT\n',
    );
    expect(userPass.code).toBe(0);
    expect(userPass.stdout).toMatch(/C: STLS\nS: \+OK[^\n]*\n/);
    // Dovecot says PIPELINING before the login: USER and PASS leave in one write.
    expect(userPass.stdout).toContain('C: USER typist\nC: PASS ***\nS: +OK\nS: +OK Logged in.\n');
    expect(userPass.stdout).not.toContain(password);

    const apop = await shell(
      ['--port', String(dovecot.pop3Port), '--security', 'none', '--auth', 'apop'],
      'STAT\n',
    );
    expect(apop.code).toBe(0);
    expect(apop.stdout).toMatch(/^S: \+OK [^\n]*<[^>]+@[^>]+>\n/);
    expect(apop.stdout).toContain('C: APOP typist ***\nS: +OK Logged in.\n');
    expect(apop.stdout).toContain('# Signed in as typist (APOP) without TLS');
  });
});
