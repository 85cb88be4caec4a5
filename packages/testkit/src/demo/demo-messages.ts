import { encodeLegacy } from './legacy-charsets.js';
import { base64Lines, encodedWordB, encodedWordQ, quotedPrintable, rfc2231Value } from './mime-encoding.js';

const DEMO_ADDRESS = 'Demo User <demo@webpop.example>';

/** Joins header lines and a body (text or raw bytes) into a CRLF message. */
function message(headers: string[], body: string | Uint8Array): Uint8Array {
  const head = Buffer.from(`${headers.join('\r\n')}\r\n\r\n`, 'utf8');
  const bodyBytes = typeof body === 'string' ? Buffer.from(body.replace(/\r?\n/g, '\r\n'), 'utf8') : body;
  return Buffer.concat([head, bodyBytes]);
}

function welcome(): Uint8Array {
  return message(
    [
      'Return-Path: <hello@webpop.example>',
      'From: webpop <hello@webpop.example>',
      `To: ${DEMO_ADDRESS}`,
      'Subject: Welcome to webpop',
      'Date: Mon, 17 Nov 2025 09:00:00 +0000',
      'Message-ID: <welcome.20251117@webpop.example>',
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=utf-8; format=flowed',
      'Content-Transfer-Encoding: 8bit',
    ],
    `Hello,

welcome to webpop, a webmail that reads POP3 mailboxes right in your browser.

This is the demo mailbox. It is served by a small scriptable POP3 server from
@webpop/testkit and holds a mix of messages that exercise a mail reader:

  * real-world messages from the mailparser and postal-mime test suites
    (delivery reports, a MIME torture test, calendar invitations, spam),
  * subjects in KOI8-R and ISO-8859-15 encoded words,
  * an HTML newsletter with a remote image and an inline (cid:) image,
  * attachments, one with a non-ASCII file name,
  * a message with a single 20,000 byte line.

Log in as "demo" with the password "demo". Nothing here is private.

Have fun,
the webpop team
`,
  );
}

function koi8rSubject(): Uint8Array {
  const subject = 'Привет из Москвы: встреча в пятницу';
  const body = 'Здравствуйте!\n\nВстречаемся в пятницу в 15:00 у памятника Пушкину.\n\nС уважением,\nИван\n';
  return message(
    [
      `From: ${encodedWordB(encodeLegacy('Иван Петров', 'koi8-r'), 'KOI8-R')} <ivan@example.ru>`,
      `To: ${DEMO_ADDRESS}`,
      `Subject: ${encodedWordB(encodeLegacy(subject, 'koi8-r'), 'KOI8-R')}`,
      'Date: Fri, 14 Nov 2025 11:23:05 +0300',
      'Message-ID: <20251114082305.4711@mail.example.ru>',
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=koi8-r',
      'Content-Transfer-Encoding: 8bit',
    ],
    encodeLegacy(body.replace(/\n/g, '\r\n'), 'koi8-r'),
  );
}

function iso885915Subject(): Uint8Array {
  const body =
    'Guten Tag,\n\nanbei Ihre Rechnung über 42,00 € für den Monat Oktober.\nZahlbar bis 30.11.2025.\n\nMit freundlichen Grüßen\nMüller & Söhne GmbH\n';
  return message(
    [
      `From: ${encodedWordQ(encodeLegacy('Müller & Söhne', 'iso-8859-15'), 'ISO-8859-15')} <rechnung@example.de>`,
      `To: ${DEMO_ADDRESS}`,
      `Subject: ${encodedWordQ(encodeLegacy('Rechnung über 42,00 €', 'iso-8859-15'), 'ISO-8859-15')}`,
      'Date: Wed, 12 Nov 2025 16:45:12 +0100',
      'Message-ID: <rechnung-2025-10-8841@example.de>',
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=ISO-8859-15',
      'Content-Transfer-Encoding: quoted-printable',
    ],
    quotedPrintable(encodeLegacy(body, 'iso-8859-15')),
  );
}

// A 1×1 transparent PNG.
const TINY_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);

function htmlNewsletter(): Uint8Array {
  const html = `<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Garden Weekly</title></head>
<body style="font-family: sans-serif">
<p><img src="cid:logo.20251110@garden.example" alt="Garden Weekly logo" width="120" height="40"></p>
<h1>Garden Weekly &ndash; November</h1>
<p>Time to plant tulip bulbs! Our picks for this season:</p>
<p><img src="http://example.invalid/newsletter/tulips.jpg" alt="Tulips" width="600" height="300"></p>
<ul><li>Queen of Night</li><li>Angélique</li><li>Ballerina</li></ul>
<p><a href="http://example.invalid/unsubscribe?u=demo">Unsubscribe</a></p>
<img src="http://example.invalid/open.gif?u=demo" width="1" height="1" alt="">
</body></html>
`;
  const text = `Garden Weekly – November

Time to plant tulip bulbs! Our picks for this season:
 * Queen of Night
 * Angélique
 * Ballerina

Unsubscribe: http://example.invalid/unsubscribe?u=demo
`;
  return message(
    [
      'From: Garden Weekly <news@garden.example>',
      `To: ${DEMO_ADDRESS}`,
      'Subject: Garden Weekly: plant your tulips now',
      'Date: Mon, 10 Nov 2025 07:30:00 +0000',
      'Message-ID: <nl-2025-11.demo@garden.example>',
      'List-Unsubscribe: <http://example.invalid/unsubscribe?u=demo>',
      'MIME-Version: 1.0',
      'Content-Type: multipart/alternative; boundary="alt-7f3a"',
    ],
    `This is a multi-part message in MIME format.

--alt-7f3a
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: quoted-printable

${quotedPrintable(Buffer.from(text, 'utf8'))}
--alt-7f3a
Content-Type: multipart/related; boundary="rel-19c2"; type="text/html"

--rel-19c2
Content-Type: text/html; charset=utf-8
Content-Transfer-Encoding: quoted-printable

${quotedPrintable(Buffer.from(html, 'utf8'))}
--rel-19c2
Content-Type: image/png; name="logo.png"
Content-Transfer-Encoding: base64
Content-ID: <logo.20251110@garden.example>
Content-Disposition: inline; filename="logo.png"

${base64Lines(TINY_PNG)}
--rel-19c2--

--alt-7f3a--
`,
  );
}

/** Starts like a PDF and contains binary bytes, but is not a complete document. */
function pdfLikeBytes(): Buffer {
  const head = Buffer.from('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n', 'latin1');
  const binary = Buffer.alloc(256);
  for (let i = 0; i < binary.length; i++) binary[i] = (i * 151 + 7) % 256;
  return Buffer.concat([head, binary, Buffer.from('\n%%EOF\n', 'latin1')]);
}

function attachments(): Uint8Array {
  const fileName = 'Prüfbericht – März 2025.txt';
  const report = 'Prüfbericht März 2025\n\nAlle Prüfungen bestanden. Nächster Termin: 1. April.\n';
  return message(
    [
      `From: ${encodedWordQ(Buffer.from('Carla Jiménez', 'utf8'), 'UTF-8')} <carla@example.es>`,
      `To: ${DEMO_ADDRESS}`,
      'Subject: Report and invoice attached',
      'Date: Thu, 06 Nov 2025 14:02:31 +0100',
      'Message-ID: <CAJ8x2-attach-5521@mail.example.es>',
      'MIME-Version: 1.0',
      'Content-Type: multipart/mixed; boundary="mix-a91e"',
    ],
    `--mix-a91e
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 8bit

Hi,

here are the invoice (PDF) and the inspection report.

Carla

--mix-a91e
Content-Type: application/pdf; name="invoice-2025-11.pdf"
Content-Transfer-Encoding: base64
Content-Disposition: attachment; filename="invoice-2025-11.pdf"

${base64Lines(pdfLikeBytes())}
--mix-a91e
Content-Type: text/plain; charset=utf-8; name*=${rfc2231Value(fileName)}
Content-Transfer-Encoding: base64
Content-Disposition: attachment; filename*=${rfc2231Value(fileName)}

${base64Lines(Buffer.from(report, 'utf8'))}
--mix-a91e--
`,
  );
}

const LONG_LINE_BYTES = 20_000;

function longLine(): Uint8Array {
  const words = 'lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor ';
  const line = words.repeat(Math.ceil(LONG_LINE_BYTES / words.length)).slice(0, LONG_LINE_BYTES);
  return message(
    [
      'From: Log Robot <robot@ci.example>',
      `To: ${DEMO_ADDRESS}`,
      'Subject: Build log with a 20000-byte line',
      'Date: Sat, 01 Nov 2025 03:14:15 +0000',
      'Message-ID: <build-9931.long-line@ci.example>',
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=us-ascii',
      'Content-Transfer-Encoding: 7bit',
    ],
    `The next line is ${LONG_LINE_BYTES} bytes long (RFC 5322 allows 998):\n${line}\nEnd of log.\n`,
  );
}

/** The hand-built demo messages, oldest first; the welcome message is the newest. */
export function demoMessages(): Uint8Array[] {
  return [longLine(), attachments(), htmlNewsletter(), iso885915Subject(), koi8rSubject(), welcome()];
}
