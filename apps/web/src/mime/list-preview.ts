import { decodeText } from '@webpop/pop3/mail';
import { htmlToText } from '../search/html-text.js';
import { snippetOf } from '../search/snippet.js';

/** The lines the message list reads of a message kept as headers only: its header fields and what `TOP n 10` gave of its body. */
export interface TopHeaders {
  /** [lower-case name, unfolded value] pairs, in order (`parseHeaderLines`). */
  readonly fields: ReadonlyArray<readonly [string, string]>;
  /** The body lines after the header block (at most 10 of them, from TOP). */
  readonly body: Uint8Array;
}

/** What the body lines of a `TOP n 10` say: the first words of the text ('' when none could be read). */
export interface TopPreview {
  readonly text: string;
  /** A part header in those lines says attachment (`Content-Disposition: attachment`, a file name). */
  readonly attachment: boolean;
}

/** Media types whose message is itself a file: a single-part PDF, image, sound or archive. */
const FILE_TYPES = /^(?:application|image|audio|video|model|font)\//;

/**
 * Whether the top-level headers say the message carries attachments: a Content-Disposition of
 * `attachment`, `multipart/mixed` (what mail clients send files in; `multipart/alternative` and
 * `multipart/related` are one text in two forms and inline images, no mark), or a message that is
 * itself a file. A list that appends a footer as a second text part (multipart/mixed) gets a mark
 * it does not deserve: the headers cannot tell it apart.
 */
export function attachmentInHeaders(summary: {
  readonly mediaType: string | undefined;
  readonly disposition: string | undefined;
}): boolean {
  if (summary.disposition === 'attachment') return true;
  const type = summary.mediaType;
  return type === 'multipart/mixed' || (type !== undefined && FILE_TYPES.test(type));
}

interface PartHeaders {
  readonly type: string;
  readonly params: ReadonlyMap<string, string>;
  readonly encoding: string;
  readonly disposition: string;
}

/** The Content-Type and the rest a part's text needs, from its fields. */
function partHeaders(fields: ReadonlyArray<readonly [string, string]>): PartHeaders {
  const field = (name: string) => fields.find(([key]) => key === name)?.[1] ?? '';
  const [type = '', ...rest] = field('content-type').split(';');
  const params = new Map<string, string>();
  for (const param of rest) {
    const equals = param.indexOf('=');
    if (equals <= 0) continue;
    params.set(
      param.slice(0, equals).trim().toLowerCase(),
      param
        .slice(equals + 1)
        .trim()
        .replace(/^"(.*)"$/, '$1'),
    );
  }
  return {
    type: type.trim().toLowerCase() || 'text/plain',
    params,
    encoding: field('content-transfer-encoding').trim().toLowerCase(),
    disposition: field('content-disposition'),
  };
}

/** A part header's fields, from lines (folded lines joined). */
function fieldsOf(lines: readonly string[]): Array<[string, string]> {
  const fields: Array<[string, string]> = [];
  for (const line of lines) {
    if (/^[ \t]/.test(line) && fields.length > 0) {
      fields[fields.length - 1]![1] += ` ${line.trim()}`;
      continue;
    }
    const colon = line.indexOf(':');
    if (colon > 0) fields.push([line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim()]);
  }
  return fields;
}

/** Bytes as one char each (TextDecoder's 'latin1' is windows-1252, which moves 0x80–0x9F). */
function byteString(bytes: Uint8Array): string {
  let out = '';
  for (let at = 0; at < bytes.length; at += 8192)
    out += String.fromCharCode(...bytes.subarray(at, at + 8192));
  return out;
}

/**
 * The first words of a message kept as headers only, from `TOP n 10`: the first text part (plain, or
 * HTML as text) that starts within those lines, decoded from quoted-printable or base64 and its
 * charset as far as the lines go; inside multiparts, nested ones followed. '' when no text starts
 * there (the list then says "headers only"). Never more than `searchLimits.snippetChars`.
 */
export function previewOfTop({ fields, body }: TopHeaders): TopPreview {
  // Latin-1 maps each byte to one char: boundaries and encodings are found by position, and the
  // text's bytes are taken back out exactly for its own charset.
  const lines = byteString(body).split(/\r?\n/);
  let part = partHeaders(fields);
  let attachment = false;
  let at = 0;
  const boundaries: string[] = [];
  const isBoundary = (line: string) => boundaries.some((boundary) => line.startsWith(boundary));
  for (let depth = 0; part.type.startsWith('multipart/') && depth < 8; depth++) {
    const boundary = part.params.get('boundary');
    if (!boundary) return { text: '', attachment };
    boundaries.push(`--${boundary}`);
    const open = lines.findIndex((line, index) => index >= at && line.startsWith(`--${boundary}`));
    if (open === -1) return { text: '', attachment };
    const blank = lines.indexOf('', open + 1);
    if (blank === -1) {
      attachment ||= /attachment|filename/i.test(lines.slice(open + 1).join('\n'));
      return { text: '', attachment };
    }
    part = partHeaders(fieldsOf(lines.slice(open + 1, blank)));
    attachment ||= /^\s*attachment/i.test(part.disposition) || part.params.has('name');
    at = blank + 1;
  }
  if (!part.type.startsWith('text/') || /^\s*attachment/i.test(part.disposition))
    return { text: '', attachment };
  const end = lines.findIndex((line, index) => index >= at && isBoundary(line));
  const textLines = lines.slice(at, end === -1 ? undefined : end);
  const bytes = decodeBody(textLines, part.encoding);
  let text = decodeText(bytes, part.params.get('charset'));
  // A multi-byte character cut at the last line's end decodes to U+FFFD.
  text = text.replace(/\uFFFD+$/, '');
  if (part.type === 'text/html') text = htmlToText(text);
  return { text: snippetOf(text), attachment };
}

/** The part's bytes from its lines: quoted-printable (soft breaks joined) or base64 (whole quanta). */
function decodeBody(lines: readonly string[], encoding: string): Uint8Array {
  if (encoding === 'base64') {
    const letters = lines.join('').replace(/[^A-Za-z0-9+/]/g, '');
    const whole = letters.slice(0, letters.length - (letters.length % 4));
    try {
      return Uint8Array.from(atob(whole), (char) => char.charCodeAt(0));
    } catch {
      return new Uint8Array();
    }
  }
  const text =
    encoding === 'quoted-printable'
      ? lines
          .map((line) => line.replace(/[ \t]+$/, ''))
          .map((line) => (line.endsWith('=') ? line.slice(0, -1) : `${line}\n`))
          .join('')
      : lines.join('\n');
  const bytes: number[] = [];
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (encoding === 'quoted-printable' && code === 0x3d) {
      const hex = text.slice(index + 1, index + 3);
      if (/^[0-9A-Fa-f]{2}$/.test(hex)) {
        bytes.push(Number.parseInt(hex, 16));
        index += 2;
        continue;
      }
    }
    bytes.push(code & 0xff);
  }
  return Uint8Array.from(bytes);
}
