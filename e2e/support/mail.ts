// Building messages for the specs: RFC 5322 text with CRLF line ends, as bytes.

export interface PlainMail {
  readonly subject: string;
  readonly from?: string;
  readonly date?: string;
  readonly body: string;
  readonly headers?: readonly string[];
}

export function crlf(text: string): string {
  return text.replace(/\r?\n/g, '\r\n');
}

/** A text/plain UTF-8 message. */
export function plainMail({ subject, from, date, body, headers = [] }: PlainMail): Uint8Array {
  return new TextEncoder().encode(
    crlf(
      [
        `From: ${from ?? 'Sender <sender@example.test>'}`,
        'To: alice@example.test',
        `Subject: ${subject}`,
        `Date: ${date ?? 'Mon, 02 Nov 2026 09:00:00 +0000'}`,
        'MIME-Version: 1.0',
        'Content-Type: text/plain; charset=utf-8',
        'Content-Transfer-Encoding: 8bit',
        ...headers,
        '',
        body,
      ].join('\n'),
    ),
  );
}

/** A message of about `bytes` bytes whose last line is `last` (a partial download cannot contain it). */
export function longMail(subject: string, bytes: number, last: string): Uint8Array {
  const line = 'All work and no play makes a long message, line after line after line.\n';
  return plainMail({ subject, body: `${line.repeat(Math.ceil(bytes / line.length))}${last}\n` });
}

/** n small messages "Message 1" … "Message n", dated one minute apart (so newest first is n … 1). */
export function numberedMails(n: number): Uint8Array[] {
  return Array.from({ length: n }, (_, index) =>
    plainMail({
      subject: `Message ${index + 1}`,
      date: new Date(Date.UTC(2026, 10, 2, 9, index)).toUTCString(),
      body: `This is message ${index + 1}.`,
    }),
  );
}
