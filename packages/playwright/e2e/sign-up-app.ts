// The app under test of the sign-up example: a sign-up form that mails a code and a confirmation link
// through SMTP (testkit's server, standing in for the MTA, hands each message to Dovecot's maildir),
// a code form, and the pages the link leads to. Loopback only.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startSmtpServer, type RunningDovecot } from '@webpop/testkit';
import { connectSmtp } from '@webpop/smtp/node';

export interface SignUpApp {
  readonly url: string;
  /** How often the mail's remote image (the app's tracking pixel) was loaded. */
  pixelLoads(): number;
  stop(): Promise<void>;
}

export async function startSignUpApp(dovecot: RunningDovecot, mailboxUser: string): Promise<SignUpApp> {
  const smtp = await startSmtpServer();
  const pending = new Map<string, { email: string; code: string }>();
  const server = createServer((request, response) => {
    void handle(request, response).catch((error: Error) => {
      response.writeHead(500).end(error.message);
    });
  });
  let url = '';
  let pixelLoads = 0;

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = new URL(request.url ?? '/', url);
    if (request.method === 'POST' && path.pathname === '/sign-up') {
      const email = new URLSearchParams(await body(request)).get('email') ?? '';
      const token = randomBytes(8).toString('hex');
      const code = randomBytes(3).toString('hex').toUpperCase().replace(/^\D/, '7');
      pending.set(token, { email, code });
      await sendConfirmation(email, code, `${url}/confirm?token=${token}`);
      return page(
        response,
        `<h1>Check your mail</h1><form method="post" action="/code">
        <label>Confirmation code <input name="code"></label><button>Confirm</button></form>`,
      );
    }
    if (request.method === 'POST' && path.pathname === '/code') {
      const code = new URLSearchParams(await body(request)).get('code');
      const known = [...pending.values()].some((entry) => entry.code === code);
      return page(response, known ? '<p>Your code is right</p>' : '<p>Wrong code</p>');
    }
    if (path.pathname === '/pixel.gif') {
      pixelLoads++;
      response.writeHead(204).end();
      return;
    }
    if (path.pathname === '/confirm') {
      const entry = pending.get(path.searchParams.get('token') ?? '');
      return page(
        response,
        entry ? `<h1>Welcome</h1><p>${entry.email} is confirmed</p>` : '<p>Unknown link</p>',
      );
    }
    return page(
      response,
      `<form method="post" action="/sign-up"><label>E-mail <input name="email" type="email"></label>
       <button>Create account</button></form>`,
    );
  }

  async function sendConfirmation(to: string, code: string, link: string): Promise<void> {
    const message = [
      'From: Acme <noreply@acme.test>',
      `To: ${to}`,
      'Subject: Confirm your address',
      `Date: ${new Date().toUTCString()}`,
      `Message-ID: <${randomBytes(6).toString('hex')}@acme.test>`,
      'MIME-Version: 1.0',
      'Content-Type: text/html; charset=utf-8',
      '',
      `<p>Your code is <b>${code}</b>.</p>`,
      `<p><a href="${link}" style="padding:8px;background:#06c;color:#fff">Confirm my address</a></p>`,
      `<p><img src="${url}/pixel.gif" alt=""></p>`,
      '',
    ].join('\r\n');
    const client = await connectSmtp({ host: smtp.host, port: smtp.port, security: 'none' });
    await client.send({ from: 'noreply@acme.test', to: [to] }, new TextEncoder().encode(message));
    await client.quit();
    // The "MTA": what the SMTP server took goes into the mailbox's maildir.
    await dovecot.deliver(mailboxUser, smtp.messages.at(-1)!.data);
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    pixelLoads: () => pixelLoads,
    stop: async () => {
      await new Promise((resolve) => server.close(resolve));
      await smtp.close();
    },
  };
}

function page(response: ServerResponse, content: string): void {
  response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
  response.end(`<!doctype html><html><head><title>Acme</title></head><body>${content}</body></html>`);
}

async function body(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
