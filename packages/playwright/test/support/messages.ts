// Small RFC 5322 messages for the unit tests.

export interface TestMail {
  from?: string;
  to?: string;
  cc?: string;
  subject?: string;
  /** A Date header value; default now. `null` leaves the header out. */
  date?: string | null;
  text?: string;
  html?: string;
  extraHeaders?: string[];
}

let counter = 0;

export function mail(options: TestMail = {}): Uint8Array {
  counter++;
  const headers = [
    `From: ${options.from ?? 'App <noreply@app.test>'}`,
    `To: ${options.to ?? 'user@example.test'}`,
    ...(options.cc ? [`Cc: ${options.cc}`] : []),
    `Subject: ${options.subject ?? `Message ${counter}`}`,
    ...(options.date === null ? [] : [`Date: ${options.date ?? new Date().toUTCString()}`]),
    `Message-ID: <m${counter}.${Date.now()}@app.test>`,
    'MIME-Version: 1.0',
    ...(options.extraHeaders ?? []),
  ];
  let body: string[];
  if (options.html !== undefined && options.text !== undefined) {
    headers.push('Content-Type: multipart/alternative; boundary="alt"');
    body = [
      '--alt',
      'Content-Type: text/plain; charset=utf-8',
      '',
      options.text,
      '--alt',
      'Content-Type: text/html; charset=utf-8',
      '',
      options.html,
      '--alt--',
    ];
  } else if (options.html !== undefined) {
    headers.push('Content-Type: text/html; charset=utf-8');
    body = [options.html];
  } else {
    headers.push('Content-Type: text/plain; charset=utf-8');
    body = [options.text ?? 'Hello.'];
  }
  return new TextEncoder().encode([...headers, '', ...body, ''].join('\r\n'));
}
