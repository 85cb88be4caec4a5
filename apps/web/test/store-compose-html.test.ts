// @vitest-environment jsdom
// Formatted text in the compose slice: the mode switch both ways, drafts keeping the mode and the
// sanitized HTML (old drafts without a mode open as plain text), and a formatted message sent through
// the real SMTP engine to testkit's SMTP server, parsed back (mailparser, postal-mime) to its two
// parts and its file byte for byte.
import 'fake-indexeddb/auto';
import { File as NodeFile } from 'node:buffer';
import { IDBFactory } from 'fake-indexeddb';
import { simpleParser } from 'mailparser';
import PostalMime from 'postal-mime';
import { connectSmtp } from '@webpop/smtp/node';
import { startSmtpServer, type RunningSmtpServer } from '@webpop/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { htmlDocument } from '../src/compose/html/index.js';
import { sendAndQuit, type Submit } from '../src/compose/submit.js';
import { MailStore } from '../src/mailstore/index.js';
import { sanitizeInPage, type SanitizeHtml } from '../src/mime/sanitizer-client.js';
import { accountKey } from '../src/session/types.js';
import { setup, signInParams } from './support/app.js';

let server: RunningSmtpServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

function submitTo(smtp: RunningSmtpServer): Submit {
  return async (account, submission, hooks, signal) => {
    const client = await connectSmtp({
      host: smtp.host,
      port: smtp.port,
      security: 'none',
      credentials: { username: account.username, password: account.password },
      onLog: hooks.onLog,
      signal,
    });
    return sendAndQuit(client, submission, hooks, signal);
  };
}

async function signedIn() {
  server = await startSmtpServer({
    accounts: { demo: signInParams.password },
    features: { authWithoutTls: true, authMechanisms: ['CRAM-MD5'] },
  });
  const sanitized: string[] = [];
  // The page's sanitizer (the frame runs the same sanitizeMessageHtml), recording what it was given.
  const sanitizeHtml: SanitizeHtml = (html, options) => {
    sanitized.push(html);
    return sanitizeInPage(html, options);
  };
  const mailStore = await MailStore.open({ factory: new IDBFactory() });
  const app = setup(undefined, {
    deps: { mailStore: async () => mailStore, submit: submitTo(server), sanitizeHtml },
  });
  await app.actions.signIn(signInParams);
  const key = accountKey(signInParams);
  await expect.poll(() => app.store.getState().device.account?.key).toBe(key);
  await app.actions.saveAccountSettings({
    ...app.store.getState().device.account!.settings,
    identity: { name: 'Démo', address: 'demo@webpop.example', replyTo: '', signature: 'Démo' },
  });
  return { ...app, mailStore, key, smtp: server, sanitized };
}

type App = Awaited<ReturnType<typeof signedIn>>;
const opened = (app: App) => {
  const compose = app.store.getState().compose;
  if (compose.kind !== 'open') throw new Error('no draft open');
  return compose;
};

const hostile =
  '<p>Hello <b>Ana</b> <img src="https://tracker.example/p.gif" onerror="alert(1)"></p>' +
  '<script>alert(2)</script><ul><li>one</li><li><a href="javascript:alert(3)">two</a></li></ul>' +
  '<p><a href="https://example.org/agenda" onclick="alert(4)">the agenda</a></p>';
const safe =
  '<p>Hello <b>Ana</b> </p><ul><li>one</li><li><a>two</a></li></ul>' +
  '<p><a href="https://example.org/agenda">the agenda</a></p>';

describe('compose: formatted text', () => {
  it('plain → formatted keeps the text as paragraphs, the quote a blockquote; back again the derived text', async () => {
    const app = await signedIn();
    app.actions.newMessage();
    expect(opened(app).fields.format).toBe('plain');
    app.actions.editCompose({ text: 'Yes.\n\nOn Monday, Ana wrote:\n> Lunch?\n' });
    await app.actions.setComposeFormat('html');
    expect(opened(app).fields).toMatchObject({
      format: 'html',
      html: '<p>Yes.</p><p>On Monday, Ana wrote:</p><blockquote><p>Lunch?</p></blockquote>',
    });
    app.actions.editCompose({ html: `${opened(app).fields.html}<ul><li>a <b>b</b></li></ul>` });
    await app.actions.setComposeFormat('plain');
    expect(opened(app).fields).toMatchObject({
      format: 'plain',
      text: 'Yes.\n\nOn Monday, Ana wrote:\n\n> Lunch?\n- a b\n',
      html: '',
    });
  });

  it('a draft keeps the mode and only the sanitized HTML; a draft without a mode opens as plain', async () => {
    const app = await signedIn();
    app.actions.newMessage();
    await app.actions.setComposeFormat('html');
    app.actions.editCompose({ subject: 'Formatted draft', html: hostile });
    await app.actions.saveDraft();
    const [draft] = await app.mailStore.compose.drafts(app.key);
    expect(draft).toMatchObject({ subject: 'Formatted draft', format: 'html', html: safe });
    expect(draft!.text).toBe('Hello Ana\n\n- one\n- two\n\nthe agenda <https://example.org/agenda>\n');
    expect(app.sanitized).toContain(hostile);
    await app.actions.closeCompose();
    await app.actions.openDraft(draft!.id);
    expect(opened(app).fields).toMatchObject({ format: 'html', html: safe });
    await app.actions.closeCompose();

    // Written before there was a formatted editor: no format, no html.
    await app.mailStore.compose.putDraft({
      account: app.key,
      id: 'old',
      to: 'ana@example.org',
      cc: '',
      bcc: '',
      subject: 'Old',
      text: 'typed long ago',
      attachments: [],
      keepCopyOnServer: false,
      inReplyTo: undefined,
      references: [],
    });
    await app.actions.openDraft('old');
    expect(opened(app).fields).toMatchObject({ format: 'plain', html: '', text: 'typed long ago' });
  });

  it('sends multipart/alternative (derived text, sanitized HTML) in multipart/mixed with a file', async () => {
    const app = await signedIn();
    app.actions.newMessage();
    await app.actions.setComposeFormat('html');
    app.actions.editCompose({ to: 'Ana <ana@example.org>', subject: 'Agenda', html: hostile });
    const bytes = Uint8Array.from({ length: 20_000 }, (_, i) => (i * 13) & 255);
    // Node's File (jsdom's has no arrayBuffer()).
    const file = new NodeFile([bytes], 'plan.bin', { type: 'application/octet-stream' });
    await app.actions.attachFiles([file as unknown as File]);
    await app.actions.sendMessage();
    expect(app.store.getState().compose.kind).toBe('closed');

    const received = new Uint8Array(app.smtp.messages[0]!.data);
    const text = 'Hello Ana\n\n- one\n- two\n\nthe agenda <https://example.org/agenda>\n';
    const html = htmlDocument(safe);
    const parsed = await simpleParser(Buffer.from(received));
    expect(parsed.text?.replace(/\r\n/g, '\n')).toBe(text);
    expect(parsed.html && parsed.html.replace(/\r\n/g, '\n')).toBe(html);
    expect(parsed.attachments.map((a) => [a.filename, new Uint8Array(a.content)])).toEqual([
      ['plan.bin', bytes],
    ]);
    const postal = await PostalMime.parse(received, { attachmentEncoding: 'arraybuffer' });
    // postal-mime keeps the line break before a boundary (see compose-mime.property.test.ts).
    expect(postal.text?.replace(/\r\n/g, '\n')).toBe(`${text}\n`);
    expect(postal.html?.replace(/\r\n/g, '\n')).toBe(`${html}\n`);
    expect(new Uint8Array(postal.attachments[0]!.content as ArrayBuffer)).toEqual(bytes);
    const raw = new TextDecoder().decode(received);
    expect(raw).not.toMatch(/tracker\.example|javascript:|onerror|onclick|<script/i);
    // Sent keeps the very bytes (compared as Buffers: the store's array is of another realm here).
    const [sent] = await app.mailStore.messages(app.key, 'sent');
    const kept = await app.mailStore.raw(app.key, sent!.uid);
    expect(Buffer.from(kept!).equals(Buffer.from(received))).toBe(true);
  });

  it('a plain message stays a single text/plain part', async () => {
    const app = await signedIn();
    app.actions.newMessage();
    app.actions.editCompose({ to: 'ana@example.org', subject: 'Plain', text: '<b>not bold</b>' });
    await app.actions.sendMessage();
    const raw = new TextDecoder().decode(new Uint8Array(app.smtp.messages[0]!.data));
    expect(raw).toMatch(/^Content-Type: text\/plain; charset=utf-8\r$/m);
    expect(raw).not.toMatch(/multipart|text\/html/);
    expect(app.sanitized).toEqual([]);
  });
});
