// The messages the e2e tests deliver into Dovecot's maildir.

export interface SignUpMail {
  readonly to: string;
  readonly code: string;
  readonly token: string;
}

/** A multipart/alternative sign-up mail: encoded-word subject, code and links in both parts. */
export function signUpMail({ to, code, token }: SignUpMail): Uint8Array {
  const verify = `https://app.example.test/verify?token=${token}&user=${encodeURIComponent(to)}`;
  const html = [
    '<html><body>',
    `<p>Your confirmation code is <b>${code}</b>.</p>`,
    `<p><a href="${verify.replace(/&/g, '&amp;')}">Confirm my address</a></p>`,
    '<p><a href="https://app.example.test/help">Help</a> · <a href="#top">Top</a></p>',
    '</body></html>',
  ].join('\r\n');
  const text = [
    `Your confirmation code is ${code}.`,
    '',
    `Confirm my address: ${verify}`,
    'Help: https://app.example.test/help.',
  ].join('\r\n');
  return message(
    [
      'From: =?UTF-8?Q?Acme_Sign=E2=80=91up?= <noreply@acme.test>',
      `To: ${to}`,
      // "Bestätigen Sie Ihre Adresse" (confirm your address), as an RFC 2047 encoded word
      'Subject: =?UTF-8?B?QmVzdMOkdGlnZW4gU2llIElocmUgQWRyZXNzZQ==?=',
      `Date: ${new Date().toUTCString()}`,
      `Message-ID: <${token}@acme.test>`,
      'MIME-Version: 1.0',
      'Content-Type: multipart/alternative; boundary="b1"',
    ],
    [
      '--b1',
      'Content-Type: text/plain; charset=utf-8',
      '',
      text,
      '--b1',
      'Content-Type: text/html; charset=utf-8',
      '',
      html,
      '--b1--',
    ],
  );
}

/** A plain-text mail that matches none of the tests' criteria. */
export function newsletterMail(to: string, subject: string): Uint8Array {
  return message(
    [
      'From: Acme News <news@acme.test>',
      `To: ${to}`,
      `Subject: ${subject}`,
      `Date: ${new Date().toUTCString()}`,
      `Message-ID: <news-${Math.random().toString(36).slice(2)}@acme.test>`,
    ],
    ['Nothing to confirm here.'],
  );
}

function message(headers: string[], body: string[]): Uint8Array {
  return new TextEncoder().encode([...headers, '', ...body, ''].join('\r\n'));
}
