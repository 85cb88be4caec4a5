// The web worker parses with postal-mime (src/mime/parse.ts), the Node side (CLI `show`, the
// Playwright fixture) with mailparser. Over every corpus message both must agree on subject, from,
// to, date, text and attachments. Where the two libraries legitimately differ, the difference is
// normalised below, per field, with the reason; where they truly disagree it is listed by name.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseReceivedMessage, type ReceivedMessage } from '@webpop/playwright/mailbox';
import { corpusMessages } from '@webpop/testkit';
import { addressListOf, mailboxesOf, type MailAddress } from '@webpop/pop3/mail';
import { parseMessage } from '../src/mime/parse.js';
import type { ParsedAttachment, ParsedMessage } from '../src/mime/types.js';

const corpus = await corpusMessages();

// mailparser's own types, through the fixture (the web app has no dependency on mailparser).
type NodeAddresses = ReceivedMessage['parsed']['to'];
type NodeAttachment = ReceivedMessage['attachments'][number];

/**
 * Attachments whose decoded bytes differ (by `filename ?? content type`). postal-mime decodes
 * 7bit/8bit/quoted-printable parts line by line: it joins lines with LF and keeps the line break
 * before the boundary, which RFC 2046 §5.1.1 gives to the boundary (mailparser, and Python's email
 * package, give the exact bytes). It also rewrites every text/calendar and application/ics part
 * to LF line ends with one final newline, even a base64 one. Base64 binaries agree byte for byte.
 */
const knownByteDifferences: Readonly<Record<string, readonly string[]>> = {
  'mailparser-delivery-status.eml': ['message/rfc822'],
  'mailparser-nodemailer-example.eml': ['text/watch-html', 'notes.txt'],
  'mailparser-nodemailer.eml': ['text/watch-html', 'notes.txt'],
  'postal-mime-arf.eml': ['message/feedback-report'],
  'postal-mime-bounce.eml': ['message/rfc822'],
  'postal-mime-calendar-event.eml': ['text/calendar', 'invite.ics'],
  'postal-mime-mimetorture.eml': ['htmlfile.html', 'signature.asc'],
};

/**
 * mailparser renders a report's message/delivery-status part, and an inline message/rfc822 part
 * without a Content-Disposition, into the text; postal-mime keeps them as attachments (evidence,
 * not content). The other way round, postal-mime inlines an empty forwarded message/rfc822 part
 * (mailparser-decoderended.eml) that mailparser lists as a 0-byte attachment.
 */
const inlinedByMailparser = new Set(['message/delivery-status', 'message/rfc822']);
const emptyRfc822ListedByMailparser = new Set(['mailparser-decoderended.eml']);

/**
 * Both render the headers of an inline forwarded message into the text, differently: postal-mime
 * between lines of dashes, with its own date format; mailparser quotes the name and writes the
 * date in GMT. The text is compared up to the first such block.
 */
const embeddedHeadersRenderedDifferently = new Set(['postal-mime-mimetorture.eml']);
const postalMimeEmbeddedHeaderRule = ' ----------------------------------------- ';

function addressesOf(value: NodeAddresses): MailAddress[] {
  const objects = value === undefined ? [] : Array.isArray(value) ? value : [value];
  return objects.flatMap((object) =>
    object.value.flatMap((entry) =>
      entry.group
        ? entry.group.map((member) => ({ name: member.name, address: member.address ?? '' }))
        : [{ name: entry.name, address: entry.address ?? '' }],
    ),
  );
}

/**
 * postal-mime keeps the line break before each boundary and joins text parts with "\n";
 * mailparser trims each part and joins with blank lines (mailparser-mixed.eml has 3 vs 2 newlines
 * around "Good Morning;"). Runs of whitespace are therefore one space for the comparison.
 */
function normalisedText(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function sha256(content: Uint8Array | ArrayBuffer): string {
  return createHash('sha256').update(new Uint8Array(content)).digest('hex');
}

/** The same bytes with CRLF as LF and no trailing line breaks: how the two sides' text parts compare. */
function lineEndInsensitive(content: Uint8Array | ArrayBuffer): string {
  return Buffer.from(new Uint8Array(content)).toString('latin1').replace(/\r\n/g, '\n').replace(/\n+$/, '');
}

function nameOf(attachment: { filename: string | null | undefined }, type: string): string {
  return attachment.filename ?? type;
}

function sameAttachments(name: string, web: ParsedMessage, node: ReceivedMessage) {
  const nodeKept = node.attachments.filter(
    (attachment) =>
      !(
        emptyRfc822ListedByMailparser.has(name) &&
        attachment.contentType === 'message/rfc822' &&
        attachment.size === 0
      ),
  );
  const webKept: ParsedAttachment[] = [];
  const inlined: ParsedAttachment[] = [];
  for (const attachment of web.attachments) {
    const onNodeSide = nodeKept.some(
      (other) =>
        other.contentType === attachment.mimeType && (other.filename ?? null) === attachment.filename,
    );
    (onNodeSide || !inlinedByMailparser.has(attachment.mimeType) ? webKept : inlined).push(attachment);
  }
  expect(webKept.map((a) => [a.filename, a.mimeType])).toEqual(
    nodeKept.map((a: NodeAttachment) => [a.filename ?? null, a.contentType]),
  );
  const byteDifferences: string[] = [];
  webKept.forEach((attachment, index) => {
    const other = nodeKept[index]!;
    if (sha256(attachment.content) === sha256(other.content) && attachment.size === other.size) return;
    byteDifferences.push(nameOf(attachment, attachment.mimeType));
    // Even where the bytes differ, they differ only in line ends and the final line break.
    expect(lineEndInsensitive(attachment.content)).toBe(lineEndInsensitive(other.content));
  });
  expect(byteDifferences).toEqual(knownByteDifferences[name] ?? []);
  return inlined;
}

describe('postal-mime (web worker) and mailparser (CLI, Playwright fixture) agree on the corpus', () => {
  it('has a corpus to compare', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(15);
  });

  it.each(corpus.map((message) => [message.name, message.bytes] as const))('%s', async (name, bytes) => {
    const web = await parseMessage(bytes);
    const node = await parseReceivedMessage(name, bytes);

    expect(web.subject).toBe(node.subject);
    // The CLI and the fixture take the subject from the engine's decoder; it agrees with mailparser's.
    expect(node.subject).toBe(node.parsed.subject ?? '');
    expect(web.from ? [web.from] : []).toEqual(addressesOf(node.parsed.from));
    expect(web.to).toEqual(addressesOf(node.parsed.to));
    // The engine's address-list parser (CLI `show`, the fixture's from/to) reads the same mailboxes.
    for (const field of ['from', 'to', 'cc'] as const) {
      expect(mailboxesOf(addressListOf(bytes, field)), field).toEqual(addressesOf(node.parsed[field]));
    }
    // parse.ts keeps the raw header when postal-mime cannot parse the date; no corpus date is so.
    expect(web.date).toBe(node.date?.toISOString());

    const inlined = sameAttachments(name, web, node);

    let webText = normalisedText(web.text ?? '');
    let nodeText = normalisedText(node.text);
    if (web.text === undefined && web.html !== undefined) {
      // An HTML-only message: the web app shows the HTML itself (sanitised); mailparser renders
      // it to text, which has nothing on the web side to compare with.
      expect(node.parsed.html).toBeTruthy();
      return;
    }
    // The web app cuts bodies at mimeLimits.maxBodyChars for display (mailparser-large_text.eml).
    if (web.truncated) nodeText = nodeText.slice(0, webText.length);
    if (embeddedHeadersRenderedDifferently.has(name)) {
      webText = webText.slice(0, webText.indexOf(postalMimeEmbeddedHeaderRule));
      expect(webText).not.toBe('');
      nodeText = nodeText.slice(0, webText.length);
    }
    if (inlined.length === 0) {
      expect(nodeText).toBe(webText);
    } else {
      // The text of the parts mailparser rendered and postal-mime kept as attachments follows.
      expect(nodeText.startsWith(webText)).toBe(true);
      expect(nodeText.length).toBeGreaterThan(webText.length);
    }
  });
});
