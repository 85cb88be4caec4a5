import { describe, expect, it } from 'vitest';
import { describeCriteria, matchesHeaders } from '../src/criteria.js';
import { summarizeHeaders, type HeaderSummary } from '../src/header-summary.js';
import { mail } from './support/messages.js';

const bytes = (text: string) => new TextEncoder().encode(text);

describe('summarizeHeaders', () => {
  it('decodes RFC 2047 encoded words in any charset and unfolds', () => {
    const summary = summarizeHeaders(
      bytes(
        [
          'Subject: =?UTF-8?B?V2lsbGtvbW1lbiDDvGJlcg==?=',
          ' =?UTF-8?Q?_Gr=C3=BC=C3=9Fe?=',
          'From: =?iso-8859-1?q?J=F6rg?= <joerg@example.test>',
          'To: =?KOI8-R?B?8NLJ18XU?= <ivan@example.test>,',
          ' other@example.test',
          'Cc: "Copy" <copy@example.test>',
          'Date: Tue, 1 Jul 2025 12:30:00 +0200 (CEST)',
          '',
          'body',
        ].join('\r\n'),
      ),
    );
    expect(summary).toEqual({
      subject: 'Willkommen über Grüße',
      from: 'Jörg <joerg@example.test>',
      // The engine's formatting: a name of atoms is not quoted.
      to: ['Привет <ivan@example.test>, other@example.test', 'Copy <copy@example.test>'],
      senders: [{ name: 'Jörg', address: 'joerg@example.test' }],
      recipients: [
        { name: 'Привет', address: 'ivan@example.test' },
        { name: '', address: 'other@example.test' },
        { name: 'Copy', address: 'copy@example.test' },
      ],
      date: new Date('2025-07-01T10:30:00Z'),
    });
  });

  it('reads raw 8-bit headers as UTF-8, or else as Windows-1252', () => {
    expect(summarizeHeaders(bytes('Subject: Grüße\n\n')).subject).toBe('Grüße');
    expect(summarizeHeaders(Uint8Array.from([...bytes('Subject: caf'), 0xe9, 0x0a, 0x0a])).subject).toBe(
      'café',
    );
  });

  it('stops at the end of the header block and copes with missing fields', () => {
    const summary = summarizeHeaders(bytes('X-Other: 1\r\n\r\nSubject: not a header\r\n'));
    expect(summary).toEqual({ subject: '', from: '', to: [], senders: [], recipients: [], date: undefined });
  });
});

describe('matchesHeaders', () => {
  const summary: HeaderSummary = summarizeHeaders(
    mail({
      from: 'Acme Sign-up <noreply@acme.test>',
      to: '"New User" <new.user+42@example.test>',
      cc: 'audit@example.test',
      subject: '=?UTF-8?Q?Best=C3=A4tigen_Sie_Ihre_Adresse?=',
      date: 'Wed, 02 Jul 2025 08:00:00 +0000',
    }),
  );

  it('matches strings as case-insensitive substrings of the decoded headers', () => {
    expect(matchesHeaders(summary, { subject: 'BESTÄTIGEN' })).toBe(true);
    expect(matchesHeaders(summary, { from: 'acme sign-up' })).toBe(true);
    expect(matchesHeaders(summary, { to: 'NEW.USER+42@' })).toBe(true);
    expect(matchesHeaders(summary, { to: 'audit@' })).toBe(true); // Cc counts as a recipient
    expect(matchesHeaders(summary, { subject: 'reset' })).toBe(false);
    expect(matchesHeaders(summary, { to: 'noreply@acme.test' })).toBe(false);
  });

  it('matches regular expressions as they are, whatever their lastIndex', () => {
    const global = /Adresse$/g;
    expect(matchesHeaders(summary, { subject: global })).toBe(true);
    expect(matchesHeaders(summary, { subject: global })).toBe(true);
    expect(matchesHeaders(summary, { subject: /^Adresse/ })).toBe(false);
    expect(matchesHeaders(summary, { subject: /adresse$/ })).toBe(false); // no i flag: case counts
    expect(matchesHeaders(summary, { to: /^New User <new\.user\+\d+@example\.test>$/ })).toBe(true);
    expect(matchesHeaders(summary, { to: /^new\.user\+42@example\.test$/ })).toBe(true); // the bare address
  });

  it("reads addresses with the engine's RFC 5322 parser: quoting and encoded words do not matter", () => {
    const headers = (to: string) => summarizeHeaders(mail({ to }));
    const forms = [
      '"New User" <new.user@example.test>',
      'New User <new.user@example.test>',
      '=?UTF-8?Q?New_User?= <new.user@example.test>',
      'new.user@example.test (New User)',
    ];
    for (const form of forms) {
      for (const criterion of ['"New User" <new.user@example.test>', 'New User <new.user@example.test>']) {
        expect(matchesHeaders(headers(form), { to: criterion }), `${criterion} vs ${form}`).toBe(true);
      }
    }
    // A decoded name holding a comma stays one mailbox: encoded words are decoded after parsing.
    const comma = headers('=?UTF-8?Q?Doe=2C_Jane?= <jane@example.test>, bob@example.test');
    expect(comma.recipients.map((mailbox) => mailbox.address)).toEqual([
      'jane@example.test',
      'bob@example.test',
    ]);
    expect(matchesHeaders(comma, { to: '"Doe, Jane" <jane@example.test>' })).toBe(true);
    expect(matchesHeaders(comma, { to: /^bob@example\.test$/ })).toBe(true);
    // Group members are recipients.
    expect(matchesHeaders(headers('Team: a@example.test, b@example.test;'), { to: /^b@/ })).toBe(true);
  });

  it("recipientIn: one of the test's own addresses, compared without case", () => {
    const own = { recipientIn: ['New.User+42@Example.test'] };
    expect(matchesHeaders(summary, own)).toBe(true);
    expect(matchesHeaders(summary, { recipientIn: ['new.user+43@example.test'] })).toBe(false);
  });

  it('requires every criterion', () => {
    expect(matchesHeaders(summary, { subject: 'Adresse', from: 'acme', to: 'new.user' })).toBe(true);
    expect(matchesHeaders(summary, { subject: 'Adresse', from: 'someone-else' })).toBe(false);
    expect(matchesHeaders(summary, {})).toBe(true);
  });

  it('compares `since` to the second, and keeps messages without a date', () => {
    expect(matchesHeaders(summary, { since: new Date('2025-07-02T08:00:00.900Z') })).toBe(true);
    expect(matchesHeaders(summary, { since: new Date('2025-07-02T08:00:01Z') })).toBe(false);
    expect(matchesHeaders(summary, { since: new Date('2025-07-01T00:00:00Z') })).toBe(true);
    const undated = summarizeHeaders(mail({ date: null }));
    expect(matchesHeaders(undated, { since: new Date() })).toBe(true);
  });

  it('describes the criteria for messages', () => {
    expect(
      describeCriteria({
        to: 'bob@',
        from: /acme/i,
        subject: 'code',
        since: new Date('2025-07-02T08:00:00Z'),
      }),
    ).toBe(
      'to containing "bob@" and from matching /acme/i and subject containing "code" and dated 2025-07-02T08:00:00.000Z or later',
    );
    expect(describeCriteria({})).toBe('any message');
    const isWelcome = () => true;
    expect(
      describeCriteria({ recipientIn: ['a+1@x.test'], text: 'hello', html: /<b>/, match: isWelcome }),
    ).toBe('to a+1@x.test and text containing "hello" and html matching /<b>/ and passing isWelcome');
  });
});
