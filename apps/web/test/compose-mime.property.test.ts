// @vitest-environment node
import fc from 'fast-check';
import { simpleParser, type AddressObject } from 'mailparser';
import PostalMime from 'postal-mime';
import { describe, expect, it } from 'vitest';
import { buildMessage, sentText, type OutgoingMessage } from '../src/compose/mime/build-message.js';
import { newMessageId } from '../src/compose/mime/dates.js';

/**
 * Every composed message must parse back, with postal-mime (the app's worker) and with mailparser
 * (Node), to exactly what was written: addresses, subject, text, attachments byte for byte.
 */

const random = () => crypto.getRandomValues(new Uint8Array(12));

/** What a single-line input field can hold: any characters but line breaks and other controls. */
const fieldText = fc
  .string({ unit: 'grapheme', maxLength: 120 })
  // eslint-disable-next-line no-control-regex -- removing control characters is the point
  .map((s) => s.replace(/[\u0000-\u001f\u007f]/g, ''));
/** Display names parsers agree on: no leading/trailing spaces, quotes kept, no controls. */
const displayName = fieldText.map((s) => s.trim().replace(/\s+/g, ' '));
const localPart = fc
  .stringMatching(/^[a-z0-9][a-z0-9._+-]{0,20}$/)
  .filter((s) => !s.endsWith('.') && !s.includes('..'));
const mailbox = fc.record({ name: displayName, address: localPart.map((l) => `${l}@example.org`) });
/** A textarea's value: LF line breaks, any other characters (tabs included). */
const bodyText = fc
  .string({ unit: 'grapheme', maxLength: 2000 })
  // eslint-disable-next-line no-control-regex -- removing control characters is the point
  .map((s) => s.replace(/\r\n?/g, '\n').replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, ''));
const fileName = fieldText.map((s) => s.trim().replace(/[\\/]/g, '_')).filter((s) => s.length > 0);
const attachment = fc.record({
  name: fileName,
  type: fc.constantFrom('application/pdf', 'image/png', 'application/octet-stream', 'text/plain'),
  bytes: fc.uint8Array({ maxLength: 5000 }),
});

const outgoing = fc.record({
  from: mailbox,
  replyTo: fc.array(mailbox, { maxLength: 2 }),
  to: fc.array(mailbox, { minLength: 1, maxLength: 4 }),
  cc: fc.array(mailbox, { maxLength: 3 }),
  subject: fieldText,
  text: bodyText,
  attachments: fc.array(attachment, { maxLength: 3 }),
});
/**
 * A formatted message: the HTML document as sent (any text: the builder does not read it) and its
 * text, never empty (the compose slice sends a message without text as plain text).
 */
const outgoingHtml = fc.record({
  from: mailbox,
  to: fc.array(mailbox, { minLength: 1, maxLength: 2 }),
  cc: fc.constant([]),
  subject: fieldText,
  text: bodyText.filter((s) => s !== ''),
  html: bodyText.map((s) => `<!doctype html>\n<html><body>${s}</body></html>\n`),
  attachments: fc.array(attachment, { maxLength: 2 }),
});

function message(input: Omit<OutgoingMessage, 'bcc' | 'messageId' | 'date'>): OutgoingMessage {
  return {
    ...input,
    bcc: [],
    messageId: newMessageId(input.from.address, random()),
    date: Date.UTC(2026, 11, 1, 12),
  };
}

/** Text as a reader gives it, with LF line breaks (the sent text has a final one: `sentText`). */
const lines = (text: string | undefined) => (text ?? '').replace(/\r\n/g, '\n');

function mailparserAddresses(field: AddressObject | AddressObject[] | undefined) {
  const list = field === undefined ? [] : Array.isArray(field) ? field : [field];
  return list.flatMap((object) => object.value.map(({ name, address }) => ({ name, address })));
}

async function expectRoundTrip(input: OutgoingMessage): Promise<void> {
  const { bytes } = buildMessage(input, random);
  const raw = new TextDecoder().decode(bytes);
  for (const line of raw.split('\r\n')) expect(line.length).toBeLessThanOrEqual(998);
  expect(/[^\r]\n|\r[^\n]/.test(raw)).toBe(false);

  const parsed = await simpleParser(Buffer.from(bytes));
  expect(mailparserAddresses(parsed.from)).toEqual([input.from]);
  expect(mailparserAddresses(parsed.replyTo)).toEqual(input.replyTo ?? []);
  expect(mailparserAddresses(parsed.to)).toEqual(input.to);
  expect(mailparserAddresses(parsed.cc)).toEqual(input.cc);
  expect(parsed.subject ?? '').toBe(input.subject);
  expect(lines(parsed.text)).toBe(sentText(input.text));
  // mailparser renders a text part from HTML where there is none: it is compared only when sent.
  if (input.html !== undefined) expect(lines(parsed.html || '')).toBe(sentText(input.html));
  else expect(parsed.html).toBe(false);
  expect(parsed.messageId).toBe(input.messageId);
  expect(parsed.attachments.map((a) => ({ name: a.filename, bytes: new Uint8Array(a.content) }))).toEqual(
    input.attachments.map((a) => ({ name: a.name, bytes: a.bytes })),
  );

  const postal = await PostalMime.parse(bytes, { attachmentEncoding: 'arraybuffer' });
  expect(postal.from).toEqual(input.from);
  expect(postal.replyTo ?? []).toEqual(input.replyTo ?? []);
  expect(postal.to ?? []).toEqual(input.to);
  expect(postal.cc ?? []).toEqual(input.cc);
  expect(postal.subject ?? '').toBe(input.subject);
  // postal-mime keeps the CRLF before a boundary, which RFC 2046 section 5.1.1 gives to the boundary:
  // in a multipart message its text has exactly one line break more than was sent.
  const multipart = input.attachments.length > 0 || input.html !== undefined;
  const boundaryLineBreak = multipart && (input.text !== '' || input.html !== undefined) ? '\n' : '';
  expect(lines(postal.text)).toBe(sentText(input.text) + boundaryLineBreak);
  if (input.html !== undefined) expect(lines(postal.html)).toBe(`${sentText(input.html)}\n`);
  else expect(postal.html).toBeUndefined();
  expect(
    postal.attachments.map((a) => ({ name: a.filename, bytes: new Uint8Array(a.content as ArrayBuffer) })),
  ).toEqual(input.attachments.map((a) => ({ name: a.name, bytes: a.bytes })));
}

describe('composed messages parse back to what was written', () => {
  it('non-ASCII names, a long subject, quoting, a long line and a binary file', async () => {
    await expectRoundTrip(
      message({
        from: { name: 'Jürgen Müller, "der Ältere"', address: 'juergen@example.org' },
        replyTo: [{ name: 'Jürgens Büro', address: 'buero@example.org' }],
        to: [
          { name: 'Пётр Ильич', address: 'petr@example.org' },
          { name: '', address: 'b@example.org' },
        ],
        cc: [{ name: '李小龍 🐉', address: 'lee@example.org' }],
        subject:
          'Grüße aus Köln — ünïcødé 🚀 and a long subject that must be folded past 78 characters =?x?=',
        text: `Hallo,\n\n> quoted\n>> twice\n.\nFrom here on\ntrailing space \n${'ä'.repeat(600)}\n-- \nJürgen`,
        attachments: [
          {
            name: 'Résumé 2026 — très long nom de fichier avec accents ümlaut.pdf',
            type: 'application/pdf',
            bytes: Uint8Array.from({ length: 3000 }, (_, i) => (i * 37 + (i >> 3)) & 255),
          },
        ],
      }),
    );
  });

  it('eightBit is true exactly when a byte is over 127 (never 7-bit for an 8-bit message), fuzzed', () => {
    // Forwarded messages (message/rfc822, sent as they are where their lines allow) of any bytes,
    // beside the usual parts: the engine takes eightBit as the builder says, unscanned.
    const line = fc.uint8Array({ maxLength: 80 }).map((b) => b.filter((byte) => byte !== 10 && byte !== 13));
    const eml = fc
      .array(line, { maxLength: 6 })
      .map((ls) => Uint8Array.from(ls.flatMap((l) => [...l, 13, 10])));
    const forwarded = fc.record({ name: fileName, type: fc.constant('message/rfc822'), bytes: eml });
    fc.assert(
      fc.property(outgoing, fc.array(forwarded, { maxLength: 2 }), (input, more) => {
        const built = buildMessage(
          message({ ...input, attachments: [...input.attachments, ...more] }),
          random,
        );
        expect(built.eightBit).toBe(built.bytes.some((byte) => byte > 0x7f));
      }),
      { numRuns: 200 },
    );
  });

  it('arbitrary input (fast-check)', async () => {
    await fc.assert(
      fc.asyncProperty(outgoing, (input) => expectRoundTrip(message(input))),
      { numRuns: 100 },
    );
  });

  it('formatted text: multipart/alternative of the text and the HTML, in multipart/mixed with files', async () => {
    const html =
      '<!doctype html>\n<html><head><meta charset="utf-8"></head><body><p>Grüße, <b>Ana</b></p>' +
      `<ul><li>${'lang '.repeat(300)}</li></ul><blockquote><p>From here</p></blockquote></body></html>\n`;
    const base = {
      from: { name: 'Me', address: 'me@example.org' },
      to: [{ name: 'Ana', address: 'ana@example.org' }],
      cc: [],
      subject: 'Formatted',
      text: `Grüße, Ana\n\n- ${'lang '.repeat(300).trim()}\n\n> From here\n`,
      html,
    };
    const file = { name: 'a.bin', type: 'application/octet-stream', bytes: Uint8Array.of(0, 1, 255, 13, 10) };
    for (const attachments of [[], [file]]) {
      const input = message({ ...base, attachments });
      await expectRoundTrip(input);
      const raw = new TextDecoder().decode(buildMessage(input, random).bytes);
      const types = [...raw.matchAll(/^Content-Type: ([^;\r]+)/gm)].map((match) => match[1]);
      expect(types).toEqual(
        attachments.length === 0
          ? ['multipart/alternative', 'text/plain', 'text/html']
          : [
              'multipart/mixed',
              'multipart/alternative',
              'text/plain',
              'text/html',
              'application/octet-stream',
            ],
      );
    }
  });

  it('formatted, arbitrary input (fast-check)', async () => {
    await fc.assert(
      fc.asyncProperty(outgoingHtml, (input) => expectRoundTrip(message(input))),
      { numRuns: 60 },
    );
  });

  it('threads a reply, keeps Bcc out of the headers and forwards a message as message/rfc822', async () => {
    const original = new TextEncoder().encode(
      'From: Ana <ana@example.org>\r\nSubject: Größe\r\nMessage-ID: <o@example.org>\r\n\r\n8-bit body: äöü\r\n',
    );
    const input = message({
      from: { name: 'Me', address: 'me@example.org' },
      to: [{ name: 'Ana', address: 'ana@example.org' }],
      cc: [],
      subject: 'Re: Größe',
      text: 'See below.\n',
      attachments: [{ name: 'Größe.eml', type: 'message/rfc822', bytes: original }],
    });
    const built = buildMessage(
      {
        ...input,
        bcc: [{ name: '', address: 'me@example.org' }],
        inReplyTo: '<o@example.org>',
        references: ['<root@example.org>', '<o@example.org>'],
      },
      random,
    );
    expect(built.eightBit).toBe(true);
    const raw = new TextDecoder().decode(built.bytes);
    expect(raw).not.toMatch(/^Bcc:/im);
    expect(raw).toMatch(/^Date: Tue, 01 Dec 2026 12:00:00 \+0000\r$/m);
    const parsed = await simpleParser(Buffer.from(built.bytes));
    expect(parsed.inReplyTo).toBe('<o@example.org>');
    expect(parsed.references).toEqual(['<root@example.org>', '<o@example.org>']);
    expect(parsed.attachments[0]?.contentType).toBe('message/rfc822');
    expect(new Uint8Array(parsed.attachments[0]!.content)).toEqual(original);
    const postal = await PostalMime.parse(built.bytes, {
      attachmentEncoding: 'arraybuffer',
      forceRfc822Attachments: true,
    });
    expect(postal.inReplyTo).toBe('<o@example.org>');
    // postal-mime hands an embedded message out with LF line ends (and the boundary's line break);
    // mailparser, above, gives its bytes exactly.
    const embedded = new TextDecoder().decode(postal.attachments[0]!.content as ArrayBuffer);
    expect(embedded).toBe(`${new TextDecoder().decode(original).replace(/\r\n/g, '\n')}\n`);
  });
});
