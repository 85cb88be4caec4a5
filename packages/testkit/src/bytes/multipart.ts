import { base64Lines } from '../demo/mime-encoding.js';

/** One body part: its Content-Type, any other header lines, and its body as text or as bytes. */
export type MimePart = {
  /** `text/plain; charset=utf-8`, `application/octet-stream` … */
  readonly type: string;
  /** Other header lines, as written (`Content-Disposition: …`, `Content-ID: <…>`), unchecked. */
  readonly headers?: readonly string[];
} & (
  | /** Sent as it is (lines joined by CRLF); no Content-Transfer-Encoding unless `headers` says. */
    { readonly text: string }
    /** Sent base64 in 76-character lines, with `Content-Transfer-Encoding: base64`. */
  | { readonly bytes: Uint8Array }
);

export interface MultipartMessage {
  /** The message's own header lines (From, To, Subject, Date …); MIME-Version and Content-Type are added. */
  readonly headers: readonly string[];
  /** Default `mixed`. */
  readonly subtype?: 'mixed' | 'related' | 'alternative';
  /** Default `b1`; a test that wants one inside a part's text chooses another. */
  readonly boundary?: string;
  readonly parts: readonly MimePart[];
}

/**
 * A multipart message as the tests write them (CRLF lines, base64 at 76 characters), so a fixture
 * says which parts it has, not how MIME is spelt.
 */
export function multipartMessage(message: MultipartMessage): Buffer {
  const boundary = message.boundary ?? 'b1';
  const lines = [
    ...message.headers,
    'MIME-Version: 1.0',
    `Content-Type: multipart/${message.subtype ?? 'mixed'}; boundary="${boundary}"`,
    '',
    ...message.parts.flatMap((part) => [
      `--${boundary}`,
      `Content-Type: ${part.type}`,
      ...(part.headers ?? []),
      ...('bytes' in part
        ? ['Content-Transfer-Encoding: base64', '', base64Lines(part.bytes)]
        : ['', part.text]),
    ]),
    `--${boundary}--`,
    '',
  ];
  return Buffer.from(lines.join('\r\n'), 'utf8');
}

/** An attachment part named by `Content-Disposition` (`filename` given raw: a test may put anything in it). */
export function attachmentPart(
  type: string,
  bytes: Uint8Array,
  filename: string | undefined,
  disposition: 'attachment' | 'inline' = 'attachment',
): MimePart {
  const name = filename === undefined ? '' : `; filename="${filename}"`;
  return { type, bytes, headers: [`Content-Disposition: ${disposition}${name}`] };
}
