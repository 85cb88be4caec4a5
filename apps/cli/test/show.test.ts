import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPop3Server, type RunningPop3Server } from '@webpop/testkit';
import { PASSWORD, serverArgs, webpop } from './helpers.js';
import { attachmentBytes, standardMailbox, subjects } from './messages.js';

/** Display names that need quoting (RFC 5322 §3.2.5), an encoded word, a group and an empty group. */
const addressesMessage = Buffer.from(
  [
    'From: "Doe, Jane" <jane@example.org>',
    'To: Team: =?utf-8?Q?J=C3=B6rg?= <joerg@example.org>, Joe Q. Public <jq@example.org>;',
    'Cc: undisclosed-recipients:;',
    'Subject: addresses',
    'Date: Mon, 17 Nov 2025 09:30:00 +0000',
    '',
    'Hello.',
    '',
  ].join('\r\n'),
);
const addressesNumber = standardMailbox().length + 1;

let server: RunningPop3Server;
beforeAll(async () => {
  server = await startPop3Server({
    accounts: [{ username: 'alice', password: PASSWORD, messages: [...standardMailbox(), addressesMessage] }],
  });
});
afterAll(() => server.close());

describe('webpop show', () => {
  it('prints the headers, the text and the attachments', async () => {
    const result = await webpop(['show', '5', ...serverArgs(server)]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      [
        // RFC 5322 quoting: names made of atoms are written as they are (quoted where needed below).
        'From:    Carol Example <carol@example.org>',
        'To:      Alice <alice@example.org>, bob@example.org',
        'Cc:      dave@example.org',
        'Date:    Mon, 17 Nov 2025 09:30:00 +0000',
        'Subject: Quarterly report – Q3',
        '',
        'Hi Alice, the report is attached. Grüße!',
        '',
        'Attachments (1):',
        `  1. report-Q3.pdf  application/pdf  ${attachmentBytes.length} B`,
        '',
      ].join('\n'),
    );
    expect(server.commandLog.map((entry) => entry.command)).toContain('RETR 5');
  });

  it('writes addresses as RFC 5322 text: names quoted where they need it, groups kept', async () => {
    const result = await webpop(['show', String(addressesNumber), ...serverArgs(server)]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      [
        'From:    "Doe, Jane" <jane@example.org>',
        'To:      Team: Jörg <joerg@example.org>, "Joe Q. Public" <jq@example.org>;',
        'Cc:      undisclosed-recipients:;',
      ].join('\n'),
    );
    const json = JSON.parse(
      (await webpop(['show', String(addressesNumber), ...serverArgs(server), '--json'])).stdout,
    );
    expect(json).toMatchObject({ from: '"Doe, Jane" <jane@example.org>', cc: 'undisclosed-recipients:;' });
  });

  it('decodes a koi8-r message', async () => {
    const result = await webpop(['show', '1', ...serverArgs(server)]);
    expect(result.stdout).toContain(`Subject: ${subjects.koi8r}\n`);
    expect(result.stdout).toContain('From:    Иван Петров <ivan@example.ru>\n');
    expect(result.stdout).toContain('\nЗдравствуйте!\n');
  });

  it('shows the HTML as text when there is no text part', async () => {
    const result = await webpop(['show', '6', ...serverArgs(server)]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Subject: Newsletter\n\n[\s\S]*BIG NEWS[\s\S]*Read all about it\./i);
    expect(result.stdout).not.toContain('<h1>');
  });

  it('--json gives headers, addresses, text, html and attachments', async () => {
    const result = await webpop(['show', '5', ...serverArgs(server), '--json']);
    const mail = JSON.parse(result.stdout);
    expect(mail).toMatchObject({
      from: 'Carol Example <carol@example.org>',
      to: 'Alice <alice@example.org>, bob@example.org',
      subject: 'Quarterly report – Q3',
      date: '2025-11-17T09:30:00.000Z',
      text: expect.stringContaining('the report is attached'),
      html: null,
      attachments: [
        { filename: 'report-Q3.pdf', contentType: 'application/pdf', size: attachmentBytes.length },
      ],
    });
    expect(mail.headers.subject).toBe('Quarterly report – Q3');
    expect(mail.headers['content-type']).toBe('multipart/mixed; boundary="b1"');
    const html = JSON.parse((await webpop(['show', '6', ...serverArgs(server), '--json'])).stdout);
    expect(html.html).toContain('<h1>Big news</h1>');
  });

  it('--raw prints the exact bytes', async () => {
    const result = await webpop(['show', '4', ...serverArgs(server), '--raw']);
    expect(result.code).toBe(0);
    expect(result.stdoutBytes.equals(Buffer.from(server.accounts.get('alice')!.messages[3]!.bytes))).toBe(
      true,
    );
  });

  it('a message number that does not exist is a clear error', async () => {
    const result = await webpop(['show', '99', ...serverArgs(server)]);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('webpop: RETR 99 failed: the server said: "No such message"\n');
  });
});
