import { describe, expect, it } from 'vitest';
import { describeCriteria, matchesCriteria } from '../src/criteria.js';
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
      to: ['Привет <ivan@example.test>, other@example.test', '"Copy" <copy@example.test>'],
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
    expect(summary).toEqual({ subject: '', from: '', to: [], date: undefined });
  });
});

describe('matchesCriteria', () => {
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
    expect(matchesCriteria(summary, { subject: 'BESTÄTIGEN' })).toBe(true);
    expect(matchesCriteria(summary, { from: 'acme sign-up' })).toBe(true);
    expect(matchesCriteria(summary, { to: 'NEW.USER+42@' })).toBe(true);
    expect(matchesCriteria(summary, { to: 'audit@' })).toBe(true); // Cc counts as a recipient
    expect(matchesCriteria(summary, { subject: 'reset' })).toBe(false);
    expect(matchesCriteria(summary, { to: 'noreply@acme.test' })).toBe(false);
  });

  it('matches regular expressions as they are, whatever their lastIndex', () => {
    const global = /Adresse$/g;
    expect(matchesCriteria(summary, { subject: global })).toBe(true);
    expect(matchesCriteria(summary, { subject: global })).toBe(true);
    expect(matchesCriteria(summary, { subject: /^Adresse/ })).toBe(false);
    expect(matchesCriteria(summary, { subject: /adresse$/ })).toBe(false); // no i flag: case counts
    expect(matchesCriteria(summary, { to: /^"New User" <new\.user\+\d+@example\.test>$/ })).toBe(true);
  });

  it('requires every criterion', () => {
    expect(matchesCriteria(summary, { subject: 'Adresse', from: 'acme', to: 'new.user' })).toBe(true);
    expect(matchesCriteria(summary, { subject: 'Adresse', from: 'someone-else' })).toBe(false);
    expect(matchesCriteria(summary, {})).toBe(true);
  });

  it('compares `since` to the second, and keeps messages without a date', () => {
    expect(matchesCriteria(summary, { since: new Date('2025-07-02T08:00:00.900Z') })).toBe(true);
    expect(matchesCriteria(summary, { since: new Date('2025-07-02T08:00:01Z') })).toBe(false);
    expect(matchesCriteria(summary, { since: new Date('2025-07-01T00:00:00Z') })).toBe(true);
    const undated = summarizeHeaders(mail({ date: null }));
    expect(matchesCriteria(undated, { since: new Date() })).toBe(true);
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
  });
});
