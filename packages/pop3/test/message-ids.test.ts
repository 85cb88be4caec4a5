import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { firstMessageId, messageIdLimits, parseMessageIds, summarizeHeaders } from '../src/mail/index.js';

const utf8 = (text: string) => new TextEncoder().encode(text);

describe('parseMessageIds', () => {
  it('reads msg-ids in order without brackets, skipping comments, phrases and broken ids', () => {
    expect(parseMessageIds('<a@x> (a comment)\r\n <b@x>\t<c@x>')).toEqual(['a@x', 'b@x', 'c@x']);
    expect(parseMessageIds('Your message of Monday <a@x>')).toEqual(['a@x']);
    expect(parseMessageIds('<<a@x> <> <with space@x> <b@x')).toEqual(['a@x']);
    expect(parseMessageIds(`<${'y'.repeat(messageIdLimits.maxIdChars + 1)}@x> <ok@x>`)).toEqual(['ok@x']);
    expect(parseMessageIds(undefined)).toEqual([]);
    expect(parseMessageIds('no ids here')).toEqual([]);
  });

  it('keeps the first and the latest of thousands of ids (a hostile References)', () => {
    const ids = Array.from({ length: 5000 }, (_, index) => `id${index}@x`);
    const kept = parseMessageIds(ids.map((id) => `<${id}>`).join(' '));
    expect(kept).toHaveLength(messageIdLimits.maxReferences);
    expect(kept[0]).toBe('id0@x');
    expect(kept.slice(1)).toEqual(ids.slice(ids.length - (messageIdLimits.maxReferences - 1)));
  });

  it('is the first id and the latest ones of what a plain scan finds (fuzzed)', () => {
    const id = fc.stringMatching(/^[a-z0-9.$]{1,6}@[a-z]{1,4}$/);
    const noise = fc.constantFrom('', ' ', '\t', ' (note) ', '<', '>', 'word ', '<bad id>', '<>');
    fc.assert(
      fc.property(
        fc.array(fc.tuple(noise, id), { maxLength: 80 }),
        fc.integer({ min: 1, max: 40 }),
        (parts, max) => {
          const value = parts.map(([before, value]) => `${before}<${value}>`).join('');
          const plain = [...value.matchAll(/<([^<>\s]+)>/g)].map((match) => match[1]!);
          const kept = parseMessageIds(value, max);
          const expected =
            plain.length <= max ? plain : [plain[0]!, ...plain.slice(plain.length - (max - 1))];
          expect(kept).toEqual(expected);
        },
      ),
    );
  });

  it('firstMessageId: the bracketed id, else a bare one', () => {
    expect(firstMessageId(' <a@x> <b@x>')).toBe('a@x');
    expect(firstMessageId('bare@x')).toBe('bare@x');
    expect(firstMessageId('two words')).toBeUndefined();
    expect(firstMessageId(undefined)).toBeUndefined();
  });
});

describe('summarizeHeaders: conversation and MIME fields', () => {
  it('reads In-Reply-To, References, the media type and the disposition', () => {
    const summary = summarizeHeaders(
      utf8(
        [
          'Message-ID: <c@x>',
          'In-Reply-To: <b@x> (Bob)',
          'References: <a@x>',
          ' <b@x>',
          'Content-Type: Multipart/Mixed; boundary="b"',
          'Content-Disposition: INLINE',
          '',
          '',
        ].join('\r\n'),
      ),
    );
    expect(summary).toMatchObject({
      messageId: '<c@x>',
      inReplyTo: 'b@x',
      references: ['a@x', 'b@x'],
      mediaType: 'multipart/mixed',
      disposition: 'inline',
    });
    expect(summarizeHeaders(utf8('Subject: x\r\n\r\n'))).toMatchObject({
      inReplyTo: undefined,
      references: [],
      mediaType: undefined,
      disposition: undefined,
    });
  });
});
