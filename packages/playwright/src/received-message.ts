import type { FrameLocator, Page } from '@playwright/test';
import { simpleParser, type Attachment, type Headers, type ParsedMail } from 'mailparser';
import { addressListOf, decodeHeaderFields, formatAddressList } from '@webpop/pop3';
import { MessageContentError } from './errors.js';
import { extractMessageLinks } from './links.js';
import { excerpt, findCode, findCodes } from './one-time-code.js';
import { clickInMessage, openInPage, type OpenMessageOptions } from './open-in-page.js';
import { describePattern, matchesText, type TextPattern } from './text-pattern.js';

/** A message `waitForMessage` found, parsed with mailparser. */
export class ReceivedMessage {
  /** The server's unique id for the message (UIDL), or a digest of its headers where there is no UIDL. */
  readonly uid: string;
  readonly subject: string;
  /** `Name <address>`, decoded, the name quoted only where RFC 5322 needs it; empty when there is no From header. */
  readonly from: string;
  /** The To addresses, decoded, comma-separated (groups as `Team: a@x, b@x;`). */
  readonly to: string;
  readonly date: Date | undefined;
  /** The text part; for an HTML-only message, mailparser's text rendering of the HTML. */
  readonly text: string;
  readonly html: string | undefined;
  readonly attachments: Attachment[];
  readonly headers: Headers;
  /** The message exactly as the server sent it. */
  readonly raw: Uint8Array;
  /** Everything mailparser found (cc, messageId, inReplyTo, textAsHtml, …). */
  readonly parsed: ParsedMail;
  #shown: FrameLocator | undefined;

  constructor(uid: string, raw: Uint8Array, parsed: ParsedMail) {
    this.uid = uid;
    this.raw = raw;
    this.parsed = parsed;
    // The engine's header decoder and address-list parser, the ones the web app's list and the CLI use.
    this.subject = decodeHeaderFields(raw).get('subject')?.[0] ?? '';
    this.from = formatAddressList(addressListOf(raw, 'from'));
    this.to = formatAddressList(addressListOf(raw, 'to'));
    this.date = parsed.date;
    this.text = parsed.text ?? '';
    this.html = typeof parsed.html === 'string' ? parsed.html : undefined;
    this.attachments = parsed.attachments;
    this.headers = parsed.headers;
  }

  /**
   * The links in the order they appear (HTML hrefs, then text URLs), without duplicates; with a
   * pattern, only those whose URL or text (an HTML link's words, as a reader sees them) matches it.
   */
  links(pattern?: TextPattern): string[] {
    const all = extractMessageLinks(this.html, this.text);
    const chosen =
      pattern === undefined
        ? all
        : all.filter(
            (link) => matchesText(link.url, pattern) || link.texts.some((text) => matchesText(text, pattern)),
          );
    return chosen.map((link) => link.url);
  }

  /**
   * The first link whose URL or text matches `pattern` (`link('Confirm my address')`,
   * `link(/\/verify\?/)`); throws, listing the links there are, when none does.
   */
  link(pattern: TextPattern): string {
    const found = this.links(pattern)[0];
    if (found !== undefined) return found;
    const all = extractMessageLinks(this.html, this.text);
    throw new MessageContentError(
      `No link ${describePattern(pattern)} in the message ${JSON.stringify(this.subject)}. Its links were:\n` +
        (all.length > 0 ? all.map((link) => `  - ${link.url}`).join('\n') : '  (none)') +
        (all.some((link) => link.texts.length > 0)
          ? `\nTheir texts: ${all.flatMap((link) => link.texts.map((text) => JSON.stringify(text))).join(', ')}`
          : '') +
        (all.length > 0 ? '' : `\nIts text was:\n${excerpt(this.text)}`),
    );
  }

  /**
   * A one-time code: the first candidate `codes()` finds (4–8 digits, or capitals and digits like
   * `G3H1Y2`), or the first match of `pattern` in the text (else in the subject), its first capture
   * group or the whole match. Throws, showing the text, when there is none.
   */
  code(pattern?: RegExp): string {
    return findCode(this, pattern);
  }

  /**
   * Every code candidate, in order (text with its URLs left out, then the subject), without
   * duplicates; with `pattern`, every match of it. Empty when there is none.
   */
  codes(pattern?: RegExp): string[] {
    return findCodes(this, pattern);
  }

  /**
   * Renders the message in `page` (sanitized, in a sandboxed frame, remote images blocked unless
   * `images: true`; links open in the page itself) and returns the frame, so a test can click the
   * real call-to-action: `await (await message.open(page)).getByRole('link', { name: 'Confirm' }).click()`.
   */
  async open(page: Page, options?: OpenMessageOptions): Promise<FrameLocator> {
    this.#shown = await openInPage(this, page, options);
    return this.#shown;
  }

  /**
   * Clicks the link or button with this accessible name in the message as `open` shows it (opening it
   * in `page` first when given); a link navigates the page to its URL.
   */
  async click(name: TextPattern, page?: Page): Promise<void> {
    if (page) await this.open(page);
    if (!this.#shown) {
      throw new MessageContentError(
        'message.click: open the message first (message.open(page)), or pass the page',
      );
    }
    await clickInMessage(this.#shown, name);
  }
}

export async function parseReceivedMessage(uid: string, raw: Uint8Array): Promise<ReceivedMessage> {
  const parsed = await simpleParser(Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength));
  return new ReceivedMessage(uid, raw, parsed);
}
