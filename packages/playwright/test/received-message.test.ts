import { describe, expect, it } from 'vitest';
import { MessageContentError } from '../src/errors.js';
import { extractLinks, decodeHtmlEntities } from '../src/links.js';
import { parseReceivedMessage } from '../src/received-message.js';
import { mail } from './support/messages.js';

describe('extractLinks', () => {
  it('takes HTML hrefs in order, entities decoded, then text URLs the HTML lacked, without duplicates', () => {
    const html = [
      '<a href="https://app.test/verify?t=1&amp;u=2">Verify</a>',
      "<a class='x' href='https://app.test/help'>Help</a>",
      '<area shape="rect" href=https://app.test/map>',
      '<a href="#top">top</a> <a href="cid:logo">logo</a> <a href="javascript:void(0)">x</a>',
      '<!-- <a href="https://app.test/commented-out">no</a> -->',
      '<a data-href="https://app.test/not-a-link" href="mailto:help@app.test">Mail us</a>',
      '<a href="https://app.test/verify?t=1&#38;u=2">Again</a>',
    ].join('\n');
    const text = [
      'Verify: https://app.test/verify?t=1&u=2.',
      'Or see (https://app.test/faq) and https://app.test/wiki/Foo_(bar), then <https://app.test/angle>!',
      'Rendered links look like this [https://app.test/rendered]',
    ].join('\n');
    expect(extractLinks(html, text)).toEqual([
      'https://app.test/verify?t=1&u=2',
      'https://app.test/help',
      'https://app.test/map',
      'mailto:help@app.test',
      'https://app.test/faq',
      'https://app.test/wiki/Foo_(bar)',
      'https://app.test/angle',
      'https://app.test/rendered',
    ]);
  });

  it('copes with no HTML and no text', () => {
    expect(extractLinks(undefined, undefined)).toEqual([]);
    expect(extractLinks(undefined, 'see http://a.test/x, or not')).toEqual(['http://a.test/x']);
  });

  it('decodes numeric and the common named entities', () => {
    expect(decodeHtmlEntities('a&amp;b&#61;c&#x3D;d&quot;&lt;&gt;&apos;&unknown;&#0;')).toBe(
      'a&b=c=d"<>\'&unknown;&#0;',
    );
  });
});

describe('ReceivedMessage', () => {
  const html =
    '<p>Your code is <b>482913</b>.</p><p><a href="https://app.test/verify?token=abc&amp;u=7">Confirm</a></p>';

  it('is parsed with mailparser: subject, from, to, date, text, html, headers, raw', async () => {
    const raw = mail({
      from: '=?UTF-8?Q?J=C3=B6rg?= <joerg@app.test>',
      to: 'a@example.test, "B" <b@example.test>',
      subject: '=?UTF-8?B?QmVzdMOkdGlnZW4=?=',
      date: 'Wed, 02 Jul 2025 08:00:00 +0000',
      text: 'Your code is 482913.',
      html,
    });
    const message = await parseReceivedMessage('uid-1', raw);
    expect(message.uid).toBe('uid-1');
    expect(message.subject).toBe('Bestätigen');
    // RFC 5322 text from the engine's parser: a name made of atoms is not quoted.
    expect(message.from).toBe('Jörg <joerg@app.test>');
    expect(message.to).toBe('a@example.test, B <b@example.test>');
    expect(message.date).toEqual(new Date('2025-07-02T08:00:00Z'));
    expect(message.text.trim()).toBe('Your code is 482913.');
    expect(message.html).toContain('<b>482913</b>');
    expect(message.headers.get('message-id')).toMatch(/@app\.test>$/);
    expect(message.raw).toBe(raw);
    expect(message.attachments).toEqual([]);
  });

  it('gives an HTML-only message a text rendering, links and code', async () => {
    const message = await parseReceivedMessage('u', mail({ html }));
    expect(message.text).toContain('482913');
    expect(message.links()).toEqual(['https://app.test/verify?token=abc&u=7']);
    expect(message.code()).toBe('482913');
    expect(message.html?.trim()).toBe(html);
  });

  it('code(): the first capture group, else the whole match, from the text, else the subject', async () => {
    const message = await parseReceivedMessage(
      'u',
      mail({ subject: 'Your PIN: 7788', text: 'Year 2025. Token: AB-12CD. Code 123456.' }),
    );
    expect(message.code()).toBe('2025'); // the default pattern takes the first 4–8 digit number
    expect(message.code(/Code (\d{6})/)).toBe('123456');
    expect(message.code(/[A-Z]{2}-\d{2}[A-Z]{2}/g)).toBe('AB-12CD');
    expect(message.code(/PIN: (\d+)/)).toBe('7788');
  });

  it('code() throws a clear error that shows the text when there is no code', async () => {
    const message = await parseReceivedMessage(
      'u',
      mail({ subject: 'Welcome', text: 'Hello there,\nno digits.' }),
    );
    expect(() => message.code()).toThrow(MessageContentError);
    expect(() => message.code()).toThrow(
      'No code (4–8 digits, or capitals and digits like G3H1Y2) in the message "Welcome" from App <noreply@app.test>. ' +
        'Its text was:\n  | Hello there,\n  | no digits.',
    );
  });

  it('links(pattern) filters; link(pattern) finds one or lists the links there are', async () => {
    const message = await parseReceivedMessage(
      'u',
      mail({ html: '<a href="https://app.test/verify?x=1">v</a> <a href="https://app.test/help">h</a>' }),
    );
    expect(message.links('HELP')).toEqual(['https://app.test/help']);
    expect(message.links(/verify/)).toEqual(['https://app.test/verify?x=1']);
    expect(message.link('/verify')).toBe('https://app.test/verify?x=1');
    expect(() => message.link(/reset/)).toThrow('No link matching /reset/ in the message "Message');
    expect(() => message.link(/reset/)).toThrow(
      'Its links were:\n  - https://app.test/verify?x=1\n  - https://app.test/help',
    );
  });
});
