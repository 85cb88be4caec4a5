/** Test messages, built here byte by byte (CRLF line ends, as a POP3 server sends them). */
import { encodeLegacy, type LegacyCharset } from '@webpop/testkit';

/** =?charset?B?…?= */
function wordB(text: string, charset: LegacyCharset): string {
  return `=?${charset.toUpperCase()}?B?${encodeLegacy(text, charset).toString('base64')}?=`;
}

/** =?charset?Q?…?= */
function wordQ(text: string, charset: LegacyCharset): string {
  const encoded = [...encodeLegacy(text, charset)]
    .map((byte) =>
      byte === 0x20
        ? '_'
        : /[A-Za-z0-9]/.test(String.fromCharCode(byte))
          ? String.fromCharCode(byte)
          : `=${byte.toString(16).toUpperCase().padStart(2, '0')}`,
    )
    .join('');
  return `=?${charset.toUpperCase()}?Q?${encoded}?=`;
}

function mail(headers: string[], body: string | Buffer): Buffer {
  const head = Buffer.from(`${headers.join('\r\n')}\r\n\r\n`, 'utf8');
  return Buffer.concat([head, typeof body === 'string' ? Buffer.from(body, 'utf8') : body]);
}

export const subjects = {
  koi8r: 'Привет из Москвы: встреча в пятницу',
  latin9: 'Rechnung über 42,00 €',
  cp1251: 'Отчёт за квартал',
};

function koi8rMessage(): Buffer {
  return mail(
    [
      `From: ${wordB('Иван Петров', 'koi8-r')} <ivan@example.ru>`,
      'To: alice@example.org',
      // Folded, to exercise unfolding.
      `Subject:\r\n ${wordB(subjects.koi8r, 'koi8-r')}`,
      'Date: Fri, 14 Nov 2025 11:23:05 +0300',
      'Message-ID: <koi8r@example.ru>',
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=koi8-r',
      'Content-Transfer-Encoding: 8bit',
    ],
    Buffer.concat([encodeLegacy('Здравствуйте!', 'koi8-r'), Buffer.from('\r\n')]),
  );
}

function latin9Message(): Buffer {
  return mail(
    [
      `From: ${wordQ('Müller & Söhne', 'iso-8859-15')} <rechnung@example.de>`,
      'To: alice@example.org',
      `Subject: ${wordQ(subjects.latin9, 'iso-8859-15')}`,
      'Date: Wed, 12 Nov 2025 16:45:12 +0100 (CET)',
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=ISO-8859-15',
      'Content-Transfer-Encoding: quoted-printable',
    ],
    'Guten Tag,\r\nanbei Ihre Rechnung =FCber 42,00 =A4.\r\n',
  );
}

function cp1251Message(): Buffer {
  return mail(
    [
      'From: boss@example.ru',
      'To: alice@example.org',
      `Subject: ${wordB(subjects.cp1251, 'windows-1251')}`,
      'Date: Thu, 13 Nov 2025 08:00:00 +0000',
    ],
    'Body.\r\n',
  );
}

/** Lines starting with dots (dot-stuffed on the wire), a bare CR, 8-bit bytes and a NUL. */
function trickyMessage(): Buffer {
  return Buffer.concat([
    Buffer.from(
      'From: Tricky <tricky@example.org>\r\nTo: alice@example.org\r\nSubject: dots\r\nDate: Sat, 15 Nov 2025 12:00:00 +0000\r\n\r\n' +
        '.\r\n..\r\n.hidden line\r\nnot the end\r\n.\r\nbare\rCR\r\n',
    ),
    Buffer.from([0xe4, 0xf6, 0xfc, 0x00, 0xff, 0x0d, 0x0a]),
    Buffer.from('.last line\r\n'),
  ]);
}

export const attachmentBytes = Buffer.from('%PDF-1.4\n% not really a PDF, but bytes all the same\n', 'utf8');

/** multipart/mixed: a text part and a PDF attachment. */
function attachmentMessage(): Buffer {
  return mail(
    [
      'From: "Carol Example" <carol@example.org>',
      'To: Alice <alice@example.org>, bob@example.org',
      'Cc: dave@example.org',
      'Subject: =?UTF-8?Q?Quarterly_report_=E2=80=93_Q3?=',
      'Date: Mon, 17 Nov 2025 09:30:00 +0000',
      'MIME-Version: 1.0',
      'Content-Type: multipart/mixed; boundary="b1"',
    ],
    [
      '--b1',
      'Content-Type: text/plain; charset=utf-8',
      'Content-Transfer-Encoding: 8bit',
      '',
      'Hi Alice, the report is attached. Grüße!',
      '--b1',
      'Content-Type: application/pdf; name="report-Q3.pdf"',
      'Content-Disposition: attachment; filename="report-Q3.pdf"',
      'Content-Transfer-Encoding: base64',
      '',
      attachmentBytes.toString('base64'),
      '--b1--',
      '',
    ].join('\r\n'),
  );
}

/** HTML only: show prints it as text. */
function htmlOnlyMessage(): Buffer {
  return mail(
    [
      'From: news@example.com',
      'To: alice@example.org',
      'Subject: Newsletter',
      'Date: Tue, 18 Nov 2025 07:00:00 +0000',
      'MIME-Version: 1.0',
      'Content-Type: text/html; charset=utf-8',
    ],
    '<html><body><h1>Big news</h1><p>Read <b>all</b> about it.</p></body></html>\r\n',
  );
}

/** The mailbox most tests use. */
export function standardMailbox(): Buffer[] {
  return [
    koi8rMessage(),
    latin9Message(),
    cp1251Message(),
    trickyMessage(),
    attachmentMessage(),
    htmlOnlyMessage(),
  ];
}
