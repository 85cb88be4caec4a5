// mailbox.send: composed by nodemailer's MailComposer, submitted with @webpop/smtp to testkit's SMTP
// server (STARTTLS with a test CA, AUTH as the mailbox's user), and parsed back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestCertificates,
  startSmtpServer,
  type RunningSmtpServer,
  type TestCertificates,
} from '@webpop/testkit';
import { Mailbox } from '../src/mailbox.js';
import { parseReceivedMessage } from '../src/received-message.js';
import { password, username } from './support/server.js';

let certificates: TestCertificates;
let smtp: RunningSmtpServer;

beforeAll(async () => {
  certificates = await createTestCertificates();
  smtp = await startSmtpServer({
    tls: { key: certificates.keyPem, cert: certificates.certPem },
    accounts: { [username]: password },
  });
});
afterAll(async () => {
  await smtp.close();
});

const mailbox = (smtpOptions: object = {}) =>
  new Mailbox({
    host: '127.0.0.1',
    username,
    password,
    address: 'alice@example.test',
    ca: certificates.caPem,
    servername: 'localhost',
    smtp: { port: smtp.port, ...smtpOptions },
  });

describe('mailbox.send', () => {
  it('composes text, HTML and attachments, and submits them over STARTTLS as the mailbox user', async () => {
    const sent = await mailbox().send({
      to: 'Inbound App <inbound@app.test>',
      cc: ['audit@app.test'],
      bcc: 'hidden@app.test',
      subject: 'Invoice Grüße',
      text: 'See the attachment.',
      html: '<p>See the <b>attachment</b>.</p>',
      attachments: [{ filename: 'invoice.csv', content: 'id,total\n1,9.50\n' }],
      headers: { 'X-Test-Run': '42' },
    });
    const taken = smtp.messages.at(-1)!;
    expect(taken.user).toBe(username);
    expect(taken.from).toBe('alice@example.test');
    expect(taken.to).toEqual(['inbound@app.test', 'audit@app.test', 'hidden@app.test']);
    expect(sent.accepted).toEqual(['inbound@app.test', 'audit@app.test', 'hidden@app.test']);
    expect(Buffer.from(sent.raw).equals(taken.data)).toBe(true);
    expect(smtp.commandLog.map((entry) => entry.line)).toContain('STARTTLS');

    const parsed = await parseReceivedMessage('x', new Uint8Array(taken.data));
    expect(parsed.subject).toBe('Invoice Grüße');
    expect(parsed.from).toBe('alice@example.test');
    expect(parsed.to).toBe('Inbound App <inbound@app.test>');
    expect(parsed.text.trim()).toBe('See the attachment.');
    expect(parsed.html).toContain('<b>attachment</b>');
    expect(parsed.attachments.map((a) => [a.filename, a.content.toString()])).toEqual([
      ['invoice.csv', 'id,total\n1,9.50\n'],
    ]);
    expect(parsed.headers.get('x-test-run')).toBe('42');
    expect(parsed.headers.has('bcc')).toBe(false);
    expect(sent.messageId).toBe(parsed.parsed.messageId);
  });

  it('sends without AUTH when auth is false, and fails when the server refuses the login', async () => {
    const sink = await startSmtpServer();
    try {
      const open = new Mailbox({
        host: '127.0.0.1',
        username,
        password,
        smtp: { port: sink.port, security: 'none', auth: false },
      });
      await open.send({ from: 'app@example.test', to: 'x@example.test', subject: 'Hi', text: 'Hi' });
      expect(sink.messages.map((m) => m.user)).toEqual([undefined]);
    } finally {
      await sink.close();
    }
    await expect(
      mailbox({ password: 'wrong' }).send({ to: 'x@example.test', subject: 'x', text: 'x' }),
    ).rejects.toThrow(/535|auth/i);
  });
});
