import { describe, expect, it } from 'vitest';
import { extractMessageLinks } from '../src/links.js';
import { findCodes } from '../src/one-time-code.js';
import { parseReceivedMessage } from '../src/received-message.js';
import { mail } from './support/messages.js';

const codesIn = (text: string, subject = '') => findCodes({ text, subject, from: '' });

describe('codes()', () => {
  it('finds every candidate in order: digits and Mailosaur-style capitals with digits', () => {
    expect(codesIn('Your code is G3H1Y2. Backup codes: 48291377, 1234, 1234.', 'PIN 9090')).toEqual([
      'G3H1Y2',
      '48291377',
      '1234',
      '9090',
    ]);
  });

  it('leaves out words, short or long numbers, and what is inside URLs', () => {
    expect(
      codesIn('HELLO AB12 ORDER-12 123 123456789 https://app.test/u/778899?t=ABC123DEF9 then 4455'),
    ).toEqual(['4455']);
  });

  it('with a pattern: every match, its first group or the whole match', () => {
    expect(findCodes({ text: 'A-11 B-22 A-33', subject: 'A-44', from: '' }, /A-(\d\d)/y)).toEqual([
      '11',
      '33',
      '44',
    ]);
  });

  it('reads HTML-only mail, and code() takes the first candidate', async () => {
    const message = await parseReceivedMessage(
      'u',
      mail({
        subject: 'Verify',
        html: '<table><tr><td style="letter-spacing:4px"><b>K7</b>Q2<span>9X</span></td></tr></table><p>Expires in 10 minutes.</p>',
      }),
    );
    expect(message.codes()).toEqual(['K7Q29X']);
    expect(message.code()).toBe('K7Q29X');
    expect(message.codes(/(\d+) minutes/)).toEqual(['10']);
  });
});

describe('links by their text', () => {
  const html = [
    '<p><a href="https://app.test/verify?t=1&amp;u=2" title="ignored">Confirm <b>my</b>&nbsp;address</a></p>',
    '<area href="https://app.test/map" title="The map">',
    '<a href="https://app.test/help"><img src="cid:logo" alt="Help centre"></a>',
    '<a href="https://app.test/verify?t=1&amp;u=2">or here</a>',
    '<a href="https://app.test/unsubscribe" title="Unsubscribe"></a>',
  ].join('\n');

  it('gives every link its text: the words, else an image alt, else the title', () => {
    expect(extractMessageLinks(html, 'Also: https://app.test/faq')).toEqual([
      { url: 'https://app.test/verify?t=1&u=2', texts: ['Confirm my address', 'or here'] },
      { url: 'https://app.test/map', texts: ['The map'] },
      { url: 'https://app.test/help', texts: ['Help centre'] },
      { url: 'https://app.test/unsubscribe', texts: ['Unsubscribe'] },
      { url: 'https://app.test/faq', texts: [] },
    ]);
  });

  it('link(text | RegExp) matches the text as well as the URL', async () => {
    const message = await parseReceivedMessage('u', mail({ html }));
    expect(message.link('help centre')).toBe('https://app.test/help');
    expect(message.link(/^or here$/)).toBe('https://app.test/verify?t=1&u=2');
    expect(message.link('/map')).toBe('https://app.test/map');
    expect(message.links('UNSUBSCRIBE')).toEqual(['https://app.test/unsubscribe']);
    expect(() => message.link('Delete my account')).toThrow(
      'Their texts: "Confirm my address", "or here", "The map", "Help centre", "Unsubscribe"',
    );
  });
});
