// `webpop send` against testkit's scriptable SMTP server over real sockets: a message built from the
// options or an .eml sent byte for byte, STARTTLS verified, AUTH, per-recipient outcomes, and a
// 4xx/5xx at each stage of the session.
import { PassThrough } from 'node:stream';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { simpleParser } from 'mailparser';
import {
  createTestCertificates,
  startSmtpServer,
  type RunningSmtpServer,
  type SmtpServerOptions,
  type SmtpStage,
  type TestCertificates,
} from '@webpop/testkit';
import { PASSWORD, webpop, withTempDir } from './helpers.js';

let certificates: TestCertificates;
let server: RunningSmtpServer | undefined;
let caDir: string;
let caFile: string;

beforeAll(async () => {
  certificates = await createTestCertificates();
  caDir = await mkdtemp(join(tmpdir(), 'webpop-send-ca-'));
  caFile = join(caDir, 'ca.pem');
  await writeFile(caFile, certificates.caPem);
});

afterAll(() => rm(caDir, { recursive: true, force: true }));

afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(options: SmtpServerOptions = {}): Promise<RunningSmtpServer> {
  server = await startSmtpServer({
    tls: { key: certificates.keyPem, cert: certificates.certPem },
    accounts: { alice: PASSWORD },
    ...options,
  });
  return server;
}

/** STARTTLS to the test server, verified against the test CA, logged in as alice. */
function submission(smtp: RunningSmtpServer): string[] {
  return [
    '--host',
    'localhost',
    '--port',
    String(smtp.port),
    '--security',
    'starttls',
    '--ca',
    caFile,
    '--user',
    'alice',
  ];
}

const built = ['--from', 'Alice <alice@example.org>', '--to', 'bob@example.org', '--subject', 'Hi'];

function stdinOf(text: string | Uint8Array): PassThrough {
  const stdin = new PassThrough();
  stdin.end(text);
  return stdin;
}

describe('webpop send: a message built from the options', () => {
  it('sends To, Cc and Bcc (Bcc in the envelope only), the body and attachments byte for byte', async () => {
    const smtp = await start();
    await withTempDir(async (dir) => {
      const attachment = Buffer.from(Array.from({ length: 70_000 }, (_, i) => (i * 7) % 256));
      const path = join(dir, 'Grüße.bin');
      await writeFile(path, attachment);
      const result = await webpop([
        'send',
        ...submission(smtp),
        '--from',
        'Alice Ævar <alice@example.org>',
        '--to',
        'bob@example.org, "Doe, Carol" <carol@example.org>',
        '--cc',
        'dan@example.org',
        '--bcc',
        'eve@example.org',
        '--subject',
        'Grüße from the CLI',
        '--body',
        'Line one\n.a dotted line\nÜmlaut',
        '--attach',
        path,
      ]);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      for (const address of ['bob@example.org', 'carol@example.org', 'dan@example.org', 'eve@example.org']) {
        expect(result.stdout).toMatch(new RegExp(`^sent +${address}$`, 'm'));
      }
      expect(result.stdout).toMatch(/^server: 250 /m);

      const [message] = smtp.messages;
      expect(message).toMatchObject({
        from: 'alice@example.org',
        to: ['bob@example.org', 'carol@example.org', 'dan@example.org', 'eve@example.org'],
        user: 'alice',
      });
      expect(message!.data.toString('latin1')).not.toMatch(/^bcc:/im);
      const parsed = await simpleParser(message!.data);
      expect(parsed.subject).toBe('Grüße from the CLI');
      expect(parsed.from?.value).toEqual([{ name: 'Alice Ævar', address: 'alice@example.org' }]);
      expect(parsed.text?.replace(/\n$/, '')).toBe('Line one\n.a dotted line\nÜmlaut');
      expect(parsed.attachments).toHaveLength(1);
      expect(parsed.attachments[0]!.filename).toBe('Grüße.bin');
      expect(Buffer.compare(parsed.attachments[0]!.content, attachment)).toBe(0);
    });
  });

  it('takes the body from stdin when it is not a terminal, and reports in --json', async () => {
    const smtp = await start();
    const result = await webpop(['send', ...submission(smtp), ...built, '--json'], {
      stdin: stdinOf('from stdin\n'),
    });
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(report).toMatchObject({
      sent: true,
      delivery: 'sent',
      recipients: [{ address: 'bob@example.org', outcome: 'sent' }],
      code: 250,
      pipelined: true,
      exitCode: 0,
    });
    expect((await simpleParser(smtp.messages[0]!.data)).text).toBe('from stdin\n');
  });
});

describe('webpop send: BODY=8BITMIME exactly when a byte of the message is over 127', () => {
  const bodyParameter = (smtp: RunningSmtpServer, n: number) =>
    smtp.messages[n]!.mailParameters.includes('BODY=8BITMIME');
  const eightBit = (smtp: RunningSmtpServer, n: number) => smtp.messages[n]!.data.some((byte) => byte > 0x7f);

  it('built from the options: 7-bit for ASCII and encoded text; 8-bit for a UTF-8 address', async () => {
    const smtp = await start();
    const plain = ['--from', 'Alice <alice@example.org>', '--to', 'bob@example.org', '--body', 'Grüße'];
    expect((await webpop(['send', ...submission(smtp), ...plain, '--subject', 'Grüße'])).code).toBe(0);
    // MailComposer writes a non-ASCII local part into To as it is: 8-bit headers (and SMTPUTF8).
    const utf8 = ['--from', 'alice@example.org', '--to', 'jörg@example.org', '--body', 'hi'];
    expect((await webpop(['send', ...submission(smtp), ...utf8, '--subject', 'x'])).code).toBe(0);
    expect([eightBit(smtp, 0), bodyParameter(smtp, 0)]).toEqual([false, false]);
    expect([eightBit(smtp, 1), bodyParameter(smtp, 1)]).toEqual([true, true]);
  });

  it('an .eml: scanned, an 8-bit byte at its very end included', async () => {
    const smtp = await start();
    const head = 'From: alice@example.org\r\nTo: bob@example.org\r\nSubject: x\r\n\r\n';
    const ascii = Buffer.from(`${head}${'a'.repeat(1000)}\r\n`);
    const last = Buffer.concat([Buffer.from(`${head}${'a'.repeat(1001)}`), Buffer.from([0xe4, 13, 10])]);
    for (const eml of [ascii, last]) {
      expect((await webpop(['send', '-', ...submission(smtp)], { stdin: stdinOf(eml) })).code).toBe(0);
    }
    expect([eightBit(smtp, 0), bodyParameter(smtp, 0)]).toEqual([false, false]);
    expect([eightBit(smtp, 1), bodyParameter(smtp, 1)]).toEqual([true, true]);
  });
});

describe('webpop send FILE', () => {
  const eml =
    'From: Alice <alice@example.org>\r\nTo: bob@example.org\r\nCc: carol@example.org\r\n' +
    'Bcc: secret@example.org,\r\n another@example.org\r\nSubject: as it is\r\n\r\n.dot\r\nbody\r\n';

  it('sends an .eml from stdin byte for byte without its Bcc fields; the envelope from its headers', async () => {
    const smtp = await start();
    const result = await webpop(['send', '-', ...submission(smtp)], { stdin: stdinOf(eml) });
    expect(result.code).toBe(0);
    const [message] = smtp.messages;
    expect(message!.from).toBe('alice@example.org');
    expect(message!.to).toEqual([
      'bob@example.org',
      'carol@example.org',
      'secret@example.org',
      'another@example.org',
    ]);
    expect(message!.data.toString('latin1')).toBe(
      'From: Alice <alice@example.org>\r\nTo: bob@example.org\r\nCc: carol@example.org\r\n' +
        'Subject: as it is\r\n\r\n.dot\r\nbody\r\n',
    );
  });

  it('--to and --from replace the envelope the headers would give', async () => {
    const smtp = await start();
    await withTempDir(async (dir) => {
      const path = join(dir, 'message.eml');
      await writeFile(path, eml);
      const result = await webpop([
        'send',
        path,
        ...submission(smtp),
        '--from',
        'bounces@example.org',
        '--to',
        'only@example.org',
      ]);
      expect(result.code).toBe(0);
      expect(smtp.messages[0]).toMatchObject({ from: 'bounces@example.org', to: ['only@example.org'] });
    });
  });

  it('a file and --subject together are a usage error (2), nothing connects', async () => {
    const smtp = await start();
    const result = await webpop(['send', 'message.eml', ...submission(smtp), '--subject', 'x']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--subject builds a message/);
    expect(smtp.connectionCount).toBe(0);
  });
});

describe('webpop send: refused recipients', () => {
  const three = ['--to', 'bob@example.org', '--to', 'nobody@example.org', '--cc', 'carol@example.org'];
  const refuse = { refuseRecipients: { 'nobody@example.org': '550 5.1.1 no such user' } };

  it('by default sends to nobody, says which address and the server’s words (exit 1)', async () => {
    const smtp = await start(refuse);
    const result = await webpop(['send', ...submission(smtp), ...built.slice(0, 2), ...three, '--body', 'x']);
    expect(result.code).toBe(1);
    expect(smtp.messages).toHaveLength(0);
    expect(result.stdout).toMatch(/^refused +nobody@example\.org: 550 5\.1\.1 no such user$/m);
    expect(result.stdout).toMatch(/^held +bob@example\.org \(accepted, but not sent/m);
    expect(result.stdout).toMatch(/^held +carol@example\.org/m);
    expect(result.stderr).toMatch(/^webpop: a recipient was refused, nothing was sent: nobody@example\.org/m);
  });

  it('--json says the send did not happen (delivery "not sent"), so a script may fix and retry', async () => {
    const smtp = await start(refuse);
    const result = await webpop([
      'send',
      ...submission(smtp),
      ...built.slice(0, 2),
      ...three,
      '--body',
      'x',
      '--json',
    ]);
    expect(result.code).toBe(1);
    expect(smtp.messages).toHaveLength(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ sent: false, delivery: 'not sent', exitCode: 1 });
  });

  it('--send-to-accepted sends to the rest; --json lists each outcome (exit 1)', async () => {
    const smtp = await start(refuse);
    const result = await webpop([
      'send',
      ...submission(smtp),
      ...built.slice(0, 2),
      ...three,
      '--body',
      'x',
      '--send-to-accepted',
      '--json',
    ]);
    expect(result.code).toBe(1);
    expect(smtp.messages[0]!.to).toEqual(['bob@example.org', 'carol@example.org']);
    expect(JSON.parse(result.stdout)).toMatchObject({
      sent: true,
      delivery: 'sent',
      recipients: [
        { address: 'bob@example.org', outcome: 'sent' },
        {
          address: 'nobody@example.org',
          outcome: 'refused',
          code: 550,
          enhancedStatus: '5.1.1',
          serverText: 'no such user',
        },
        { address: 'carol@example.org', outcome: 'sent' },
      ],
      exitCode: 1,
    });
  });
});

describe('webpop send: a 4xx or 5xx at each stage', () => {
  const cases: ReadonlyArray<readonly [SmtpStage, string, RegExp]> = [
    ['greeting', '554 5.3.2 not now', /refused the connection: the server said: 554 5\.3\.2 "not now"/],
    ['ehlo', '421 4.3.2 shutting down', /EHLO failed: .*421 4\.3\.2 "shutting down".*temporary/],
    ['auth', '535 5.7.8 bad credentials', /login failed for user alice .*535 5\.7\.8 "bad credentials"/],
    ['mail', '451 4.3.0 try later', /refused the sender \(MAIL FROM\): .*451 4\.3\.0 "try later".*temporary/],
    [
      'rcpt',
      '550 5.7.1 relaying denied',
      /a recipient was refused, nothing was sent: bob@example\.org \(550 relaying denied\)/,
    ],
    ['data', '554 5.5.1 no valid recipients', /refused the message \(nothing was delivered\): .*554 5\.5\.1/],
    [
      'message',
      '552 5.3.4 message too big',
      /refused the message \(nothing was delivered\): .*552 5\.3\.4 "message too big"/,
    ],
  ];

  for (const [stage, reply, words] of cases) {
    it(`${stage}: ${reply} → exit 1 with the server's words, nothing delivered`, async () => {
      const smtp = await start({ faults: { replyAt: { [stage]: reply } } });
      const result = await webpop(['send', ...submission(smtp), ...built, '--body', 'x', '--json']);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(words);
      expect(smtp.messages).toHaveLength(0);
      expect(JSON.parse(result.stdout)).toMatchObject({ exitCode: 1 });
    });
  }

  it('a drop mid-DATA is a lost connection, nothing delivered', async () => {
    const smtp = await start({ faults: { dropMidData: { afterBytes: 100 } } });
    // Larger than loopback's socket buffers (about 4 MiB), so that the drop is seen before the final
    // dot (a message the buffers take whole is out before the drop is seen: the outcome is unknown).
    const body = 'line of text\n'.repeat(700_000);
    const result = await webpop(['send', ...submission(smtp), ...built, '--body-file', '-'], {
      stdin: stdinOf(body),
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^webpop: connection lost: .*not delivered/m);
    expect(smtp.messages).toHaveLength(0);
  });

  for (const then of ['drop', 'stall'] as const) {
    it(`the reply to the final dot lost (${then}): exit 3, "may have accepted", never "not delivered"`, async () => {
      const smtp = await start({ faults: { cutFinalReply: { replyBytes: 4, then } } });
      const result = await webpop([
        'send',
        ...submission(smtp),
        ...built,
        '--body',
        'x',
        '--json',
        ...(then === 'stall' ? ['--timeout', '1'] : []),
      ]);
      expect(result.code).toBe(3);
      expect(result.stderr).toMatch(
        /^webpop: the server may have accepted the message: .*before sending again/m,
      );
      expect(result.stderr).not.toMatch(/not delivered|nothing was delivered/);
      expect(JSON.parse(result.stdout)).toMatchObject({
        sent: false,
        delivery: 'unknown',
        recipients: [{ address: 'bob@example.org', outcome: 'unknown' }],
        exitCode: 3,
      });
      await expect.poll(() => smtp.messages.length).toBe(1);
    });
  }

  it('bytes injected after 220 to STARTTLS are refused for safety', async () => {
    const smtp = await start({ faults: { injectAfterStarttls: '250 forged\r\n' } });
    const result = await webpop(['send', ...submission(smtp), ...built, '--body', 'x']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/refused for safety: .*STARTTLS injection/);
  });
});

describe('webpop send: secrets', () => {
  it('never sends a password in clear without TLS unless --allow-plaintext', async () => {
    const smtp = await start({ features: { authWithoutTls: true, authMechanisms: ['PLAIN', 'LOGIN'] } });
    const plain = [
      '--host',
      'localhost',
      '--port',
      String(smtp.port),
      '--security',
      'none',
      '--user',
      'alice',
    ];
    const refused = await webpop(['send', ...plain, ...built, '--body', 'x']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/refusing to send the password in clear .*--allow-plaintext/);
    expect(smtp.commandLog.some(({ line }) => /^AUTH/i.test(line))).toBe(false);

    const allowed = await webpop(['send', ...plain, '--allow-plaintext', ...built, '--body', 'x']);
    expect(allowed.code).toBe(0);
    expect(smtp.messages[0]!.user).toBe('alice');
  });

  it('--trace shows the dialogue without the password', async () => {
    const smtp = await start();
    const result = await webpop([
      'send',
      ...submission(smtp),
      ...built,
      '--body',
      'x',
      '--trace',
      '--auth',
      'plain',
    ]);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/^C: AUTH PLAIN \*\*\*$/m);
    expect(result.stderr).not.toContain(PASSWORD);
    expect(result.stderr).not.toContain(Buffer.from(`\0alice\0${PASSWORD}`).toString('base64'));
  });

  it('without --user, sends without AUTH (a server that takes mail without it)', async () => {
    const smtp = await start({ accounts: undefined });
    const args = [
      '--host',
      'localhost',
      '--port',
      String(smtp.port),
      '--security',
      'starttls',
      '--ca',
      caFile,
    ];
    const result = await webpop(['send', ...args, ...built, '--body', 'x'], { env: {} });
    expect(result.code).toBe(0);
    expect(smtp.messages[0]!.user).toBeUndefined();
  });

  it('an --auth only POP3 has is a usage error', async () => {
    const result = await webpop(['send', '--host', 'localhost', '--auth', 'apop', ...built]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--auth for send must be one of auto, plain, login, cram-md5, xoauth2/);
  });
});
