// The messages the suite crafts for itself, each built to prove one thing in the browser.
import { createHash } from 'node:crypto';
import { attachmentPart, encodeLegacy, generateMessages, multipartMessage } from '@webpop/testkit';

const crlf = (lines: readonly string[]): Buffer => Buffer.from(`${lines.join('\r\n')}\r\n`, 'utf8');

/** What a row of the list must show for a message: its decoded subject, sender, date and size. */
export interface RowExpectation {
  subject: string;
  sender: string;
  /** As the list shows it in en-US, UTC; '' when the message has no readable Date. */
  date: string;
}

export const plain = {
  subject: 'Plain notes for the engine',
  sender: 'Ada Lovelace',
  date: 'Mar 3, 2025',
  text: ['The analytical engine weaves algebraic patterns.', 'Second line of the plain message.'],
  bytes: crlf([
    'From: Ada Lovelace <ada@example.test>',
    'To: reader@example.test',
    'Subject: Plain notes for the engine',
    'Date: Mon, 03 Mar 2025 09:15:00 +0000',
    'Message-ID: <plain@e2e.test>',
    'Content-Type: text/plain; charset=utf-8',
    '',
    'The analytical engine weaves algebraic patterns.',
    'Second line of the plain message.',
  ]),
};

export const html = {
  subject: 'HTML bulletin of the club',
  sender: 'Garden Club',
  bytes: crlf([
    'From: Garden Club <club@example.test>',
    'To: reader@example.test',
    'Subject: HTML bulletin of the club',
    'Date: Tue, 04 Mar 2025 10:00:00 +0000',
    'Message-ID: <html@e2e.test>',
    'Content-Type: text/html; charset=utf-8',
    '',
    '<html><body><h1>Club bulletin</h1><p>Tulips <b>bloom</b> in April.</p></body></html>',
  ]),
};

/** Two attachments: every byte value in a pseudo-random order, and a UTF-8 text with a non-ASCII name. */
export const attachments = (() => {
  const binary = Buffer.concat(
    Array.from({ length: 94 }, (_, index) => createHash('sha256').update(`webpop-e2e-${index}`).digest()),
  );
  const text = Buffer.from('Größe;Wert\r\nlänge;42\r\n', 'utf8');
  const files = [
    { name: 'measurements.bin', type: 'application/octet-stream', bytes: binary },
    { name: 'Übersicht.csv', type: 'text/csv; charset=utf-8', bytes: text },
  ];
  const bytes = multipartMessage({
    headers: [
      'From: Lab <lab@example.test>',
      'To: reader@example.test',
      'Subject: Measurements attached',
      'Date: Wed, 05 Mar 2025 11:00:00 +0000',
      'Message-ID: <attach@e2e.test>',
    ],
    parts: [
      { type: 'text/plain; charset=utf-8', text: 'The measurements are attached.' },
      ...files.map(({ name, type, bytes: content }) => ({
        type,
        bytes: content,
        headers: [`Content-Disposition: attachment; filename*=utf-8''${encodeURIComponent(name)}`],
      })),
    ],
  });
  return { subject: 'Measurements attached', text: 'The measurements are attached.', files, bytes };
})();

/** A 1×1 PNG, shown inline through its Content-ID. */
export const onePixelPng = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=',
  'base64',
);

export const cidImage = {
  subject: 'Logo inline',
  bytes: multipartMessage({
    headers: [
      'From: Designer <design@example.test>',
      'To: reader@example.test',
      'Subject: Logo inline',
      'Date: Thu, 06 Mar 2025 12:00:00 +0000',
      'Message-ID: <cid@e2e.test>',
    ],
    subtype: 'related',
    boundary: 'r1',
    parts: [
      {
        type: 'text/html; charset=utf-8',
        text: '<html><body><h1>Our new logo</h1><p><img src="cid:logo@e2e.test" alt="the logo" width="40" height="20"></p></body></html>',
      },
      {
        type: 'image/png',
        bytes: onePixelPng,
        headers: ['Content-ID: <logo@e2e.test>', 'Content-Disposition: inline; filename="logo.png"'],
      },
    ],
  }),
};

/** Subjects in RFC 2047 encoded words: UTF-8 (B), KOI8-R (B) and ISO-8859-15 (Q). */
export const encoded = [
  {
    subject: 'Grüße aus Köln',
    header: `=?UTF-8?B?${Buffer.from('Grüße aus Köln').toString('base64')}?=`,
  },
  {
    subject: 'Привет из Новосибирска',
    header: `=?KOI8-R?B?${Buffer.from(encodeLegacy('Привет из Новосибирска', 'koi8-r')).toString('base64')}?=`,
  },
  { subject: 'Preis 42 € netto', header: '=?ISO-8859-15?Q?Preis_42_=A4_netto?=' },
].map(({ subject, header }, index) => ({
  subject,
  sender: 'Encoder',
  date: `Mar ${10 + index}, 2025`,
  bytes: crlf([
    'From: Encoder <enc@example.test>',
    'To: reader@example.test',
    `Subject: ${header}`,
    `Date: ${['Mon', 'Tue', 'Wed'][index]}, ${10 + index} Mar 2025 12:00:00 +0000`,
    `Message-ID: <enc${index}@e2e.test>`,
    '',
    `Encoded subject number ${index}.`,
  ]),
}));

/**
 * An HTML message that tries everything a hostile sender might. Each attempt, if it ran, would request
 * `${origin}/hit/<what>` from the recording web server or post a message to the page.
 */
export function hostile(origin: string) {
  return {
    subject: 'Hostile newsletter',
    bytes: crlf([
      'From: Mallory <mallory@example.test>',
      'To: reader@example.test',
      'Subject: Hostile newsletter',
      'Date: Fri, 07 Mar 2025 13:00:00 +0000',
      'Message-ID: <hostile@e2e.test>',
      'Content-Type: text/html; charset=utf-8',
      '',
      '<html><head>',
      `<meta http-equiv="refresh" content="0;url=${origin}/hit/meta-refresh">`,
      `<script>fetch('${origin}/hit/script'); parent.postMessage('script-ran', '*');</script>`,
      '</head><body>',
      '<h1>Hostile headline</h1>',
      `<img src="x" onerror="fetch('${origin}/hit/onerror'); parent.postMessage('onerror-ran', '*')" alt="broken">`,
      `<a href="javascript:fetch('${origin}/hit/javascript-link');parent.postMessage('link-ran','*')">Click for prizes</a>`,
      `<svg xmlns="http://www.w3.org/2000/svg" onload="parent.postMessage('svg-onload-ran', '*')"><script>fetch('${origin}/hit/svg')</script><circle r="5"/></svg>`,
      `<form action="${origin}/hit/form" method="post"><input name="q" value="1" aria-label="Prize code"><button>Claim prize</button></form>`,
      `<iframe src="${origin}/hit/iframe"></iframe>`,
      `<p style="background:url(${origin}/hit/css-background)">Remote picture:</p>`,
      `<img src="${origin}/hit/remote-image.png" alt="remote picture">`,
      '</body></html>',
    ]),
  };
}

export function simple(subject: string, day: number): Buffer {
  return crlf([
    'From: Sender <sender@example.test>',
    'To: someone@example.test',
    `Subject: ${subject}`,
    `Date: Sat, ${String(day).padStart(2, '0')} Feb 2025 08:00:00 +0000`,
    `Message-ID: <${subject.replace(/\W/g, '')}@e2e.test>`,
    '',
    `Body of ${subject}.`,
  ]);
}

/** The 1,000-message mailbox (deterministic, so a test can rebuild it to know what to expect). */
export const thousand = (): Uint8Array[] => generateMessages(1000, { seed: 1000 });

/** 40 messages of 100 KB: a background download that a test can cut in the middle (keep-mail.spec). */
export const closing = (): Uint8Array[] => generateMessages(40, { seed: 40, bodyBytes: 100_000 });

/** A message of 5 MB (5,242,880 bytes: headers plus a plain-text body). */
export const big = (): Uint8Array => {
  const [message] = generateMessages(1, { seed: 5, headerBytes: 1024, bodyBytes: 5 * 1024 * 1024 - 1026 });
  return message!;
};

/** A minimal one-page PDF whose open action runs a script (it must stay inside the PDF viewer). */
export const scriptedPdf = Buffer.from(
  [
    '%PDF-1.4',
    '1 0 obj<</Type/Catalog/Pages 2 0 R/OpenAction 4 0 R>>endobj',
    '2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj',
    '3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 300 200]>>endobj',
    "4 0 obj<</S/JavaScript/JS(this.getURL('javascript:parent.document.title=1'))>>endobj",
    'trailer<</Root 1 0 R>>',
    '%%EOF',
  ].join('\n'),
  'latin1',
);

/** Printing (its body is far longer than the frame's box) and the attachment previews (issue 16). */
export const handling = (() => {
  const letter = crlf([
    'From: Long Writer <writer@example.test>',
    'To: reader@example.test',
    'Subject: Long HTML letter',
    'Date: Fri, 07 Mar 2025 09:00:00 +0000',
    'Message-ID: <letter@e2e.test>',
    'Content-Type: text/html; charset=utf-8',
    '',
    `<html><head><style>p{color:#234}</style></head><body><h1>Dear reader</h1>${Array.from(
      { length: 60 },
      (_, index) => `<p>Paragraph ${index + 1} of the long letter.</p>`,
    ).join('')}<p>The last paragraph of the letter.</p></body></html>`,
  ]);
  const svg = '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>';
  const files = [
    { name: 'report.pdf', type: 'application/pdf', bytes: scriptedPdf },
    { name: 'dot.png', type: 'image/png', bytes: onePixelPng },
    {
      name: 'notes.txt',
      type: 'text/plain; charset=utf-8',
      bytes: Buffer.from('Notes: größer als 42.\r\n', 'utf8'),
    },
    { name: 'drawing.svg', type: 'image/svg+xml', bytes: Buffer.from(svg, 'utf8') },
  ];
  const previews = multipartMessage({
    headers: [
      'From: Lab <lab@example.test>',
      'To: reader@example.test',
      'Subject: Files to preview',
      'Date: Sat, 08 Mar 2025 09:00:00 +0000',
      'Message-ID: <previews@e2e.test>',
    ],
    boundary: 'p1',
    parts: [
      { type: 'text/plain; charset=utf-8', text: 'Four files.' },
      ...files.map(({ name, type, bytes: content }) => attachmentPart(type, content, name)),
    ],
  });
  return { letter, previews };
})();

/** German mail for the search in the German interface (issue 16): diacritics, a prefix, a sender's name. */
export const german = {
  invoice: {
    subject: 'Rechnung für März',
    bytes: crlf([
      'From: Jürgen Müller <juergen@example.test>',
      'To: reader@example.test',
      'Subject: =?utf-8?q?Rechnung_f=C3=BCr_M=C3=A4rz?=',
      'Date: Mon, 10 Mar 2025 09:00:00 +0000',
      'Message-ID: <rechnung@e2e.test>',
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=utf-8',
      'Content-Transfer-Encoding: 8bit',
      '',
      'Guten Tag,',
      '',
      'anbei die Rechnung für März über 42 Euro.',
      'Viele Grüße aus München',
      'Jürgen',
    ]),
  },
  trip: {
    subject: 'Reise nach München',
    bytes: crlf([
      'From: Ada Lovelace <ada@example.test>',
      'To: reader@example.test',
      'Subject: =?utf-8?q?Reise_nach_M=C3=BCnchen?=',
      'Date: Tue, 11 Mar 2025 18:30:00 +0000',
      'Message-ID: <reise@e2e.test>',
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=utf-8',
      'Content-Transfer-Encoding: 8bit',
      '',
      'Wir fahren am Freitag mit dem Nachtzug nach München.',
      'Die Fahrkarten sind bestellt.',
    ]),
  },
};

/** Conversations and snippets (issue 16): an original, an unrelated note, a file and a newsletter; the reply comes later. */
export const conversation = (() => {
  const message = (lines: string[]) => crlf(lines);
  const head = (subject: string, day: number, id: string, more: string[] = []) => [
    'From: Alice Example <alice@example.test>',
    'To: someone@example.test',
    `Subject: ${subject}`,
    `Date: Sun, ${String(day).padStart(2, '0')} Mar 2025 08:00:00 +0000`,
    `Message-ID: <${id}@e2e.test>`,
    'MIME-Version: 1.0',
    ...more,
  ];
  return {
    start: [
      message([
        ...head('Trip plans', 2, 'trip', [
          'Content-Type: text/plain; charset=utf-8',
          'Content-Transfer-Encoding: quoted-printable',
        ]),
        '',
        'Shall we take the night train to M=C3=BCnchen on Friday?',
      ]),
      message([
        ...head('Unrelated note', 3, 'note', ['Content-Type: text/plain']),
        '',
        'Nothing to do with it.',
      ]),
      message([
        ...head('Invoice attached', 4, 'invoice', ['Content-Type: multipart/mixed; boundary="m"']),
        '',
        '--m',
        'Content-Type: text/plain; charset=utf-8',
        '',
        'Your invoice is attached.',
        '--m',
        'Content-Type: application/pdf; name="invoice.pdf"',
        'Content-Disposition: attachment; filename="invoice.pdf"',
        'Content-Transfer-Encoding: base64',
        '',
        'JVBERi0xLjQK',
        '--m--',
      ]),
      message([
        ...head('Weekly letter', 5, 'letter', ['Content-Type: multipart/alternative; boundary="a"']),
        '',
        '--a',
        'Content-Type: text/html; charset=utf-8',
        '',
        '<p>This week: <b>trains</b> and timetables.</p>',
        '--a--',
      ]),
    ],
    reply: message([
      'From: Bob Example <bob@example.test>',
      'To: alice@example.test',
      'Subject: Re: Trip plans',
      'Date: Mon, 10 Mar 2025 08:00:00 +0000',
      'Message-ID: <trip-reply@e2e.test>',
      'In-Reply-To: <trip@e2e.test>',
      'References: <trip@e2e.test>',
      '',
      'Yes, the night train it is.',
    ]),
  };
})();
