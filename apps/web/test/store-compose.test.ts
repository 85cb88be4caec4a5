// Compose: drafts saved as typed, sending through the real SMTP engine to testkit's SMTP server
// (Node transport in place of the bridge's WebSocket), Sent filed, and every failure keeping the draft.
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { simpleParser } from 'mailparser';
import type { Timeouts } from '@webpop/smtp';
import { connectSmtp } from '@webpop/smtp/node';
import { startSmtpServer, type RunningSmtpServer, type SmtpServerOptions } from '@webpop/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { forwardFields, replyFields, quote } from '../src/compose/fields.js';
import { sendAndQuit, type Submit } from '../src/compose/submit.js';
import { MailStore } from '../src/mailstore/index.js';
import type { ParsedMessage } from '../src/mime/types.js';
import { accountKey } from '../src/session/types.js';
import { setup, signInParams } from './support/app.js';

let server: RunningSmtpServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** The app's Submit over Node's TCP: the same engine and the same sendAndQuit as in the browser. */
function submitTo(smtp: RunningSmtpServer, timeouts: Partial<Timeouts>): Submit {
  return async (account, submission, hooks, signal) => {
    const client = await connectSmtp({
      timeouts,
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

async function signedIn(options: SmtpServerOptions = {}) {
  /** The engine's timeouts, settable by a test before it sends. */
  const smtpTimeouts: Partial<Record<keyof Timeouts, number>> = {};
  server = await startSmtpServer({
    accounts: { demo: signInParams.password },
    features: { authWithoutTls: true, authMechanisms: ['CRAM-MD5'] },
    ...options,
  });
  const mailStore = await MailStore.open({ factory: new IDBFactory() });
  const app = setup(undefined, {
    deps: { mailStore: async () => mailStore, submit: submitTo(server, smtpTimeouts) },
  });
  await app.actions.signIn(signInParams);
  const key = accountKey(signInParams);
  await expect.poll(() => app.store.getState().device.account?.key).toBe(key);
  await app.actions.saveAccountSettings({
    ...app.store.getState().device.account!.settings,
    identity: { name: 'Démo Üser', address: 'demo@webpop.example', replyTo: '', signature: 'Démo' },
  });
  return { ...app, mailStore, key, smtp: server, smtpTimeouts };
}

const openDraft = (app: Awaited<ReturnType<typeof signedIn>>) => {
  const compose = app.store.getState().compose;
  if (compose.kind !== 'open') throw new Error('no draft open');
  return compose;
};

describe('compose', () => {
  it('saves the draft as it is typed, and keeps it when the dialog is closed', async () => {
    const app = await signedIn();
    app.actions.newMessage();
    expect(openDraft(app).fields.text).toBe('\n\n-- \nDémo\n');
    app.actions.editCompose({ to: 'ana@example.org', subject: 'Typed' });
    app.actions.editCompose({ text: 'half a sentence' });
    await expect
      .poll(async () => (await app.mailStore.compose.drafts(app.key)).map((d) => [d.subject, d.text]))
      .toEqual([['Typed', 'half a sentence']]);
    await app.actions.closeCompose();
    expect(app.store.getState().compose.kind).toBe('closed');
    expect(app.store.getState().drafts.map((d) => d.subject)).toEqual(['Typed']);
    await app.actions.openDraft(app.store.getState().drafts[0]!.id);
    expect(openDraft(app).fields).toMatchObject({ to: 'ana@example.org', text: 'half a sentence' });
  });

  it('sends with an attachment: the server gets exactly what was written; Sent has it, Drafts not', async () => {
    const app = await signedIn();
    app.actions.newMessage();
    const bytes = Uint8Array.from({ length: 70_000 }, (_, i) => (i * 7) & 255);
    app.actions.editCompose({
      to: 'Ana Лопес <ana@example.org>',
      cc: 'bo@example.org',
      bcc: 'hidden@example.org',
      subject: 'Größe 🚀',
      text: 'Hallo Ana,\n> not a quote\n',
      keepCopyOnServer: true,
    });
    await app.actions.attachFiles([new File([bytes], 'résumé.bin', { type: 'application/octet-stream' })]);
    const progress: number[] = [];
    const unsubscribe = app.store.subscribe((state) => {
      if (state.compose.kind === 'open' && state.compose.status.kind === 'sending')
        progress.push(state.compose.status.sent);
    });
    await app.actions.sendMessage();
    unsubscribe();
    expect(app.store.getState().compose.kind).toBe('closed');
    // Three people written to: the keep-a-copy Bcc to oneself is not counted.
    expect(app.store.getState().notice).toMatchObject({ key: 'compose.sent', params: { count: 3 } });
    expect(progress.at(-1)).toBeGreaterThan(90_000);

    const [received] = app.smtp.messages;
    expect(received!.from).toBe('demo@webpop.example');
    expect([...received!.to].sort()).toEqual(
      ['ana@example.org', 'bo@example.org', 'demo@webpop.example', 'hidden@example.org'].sort(),
    );
    const parsed = await simpleParser(received!.data);
    expect(parsed.from?.value).toEqual([{ name: 'Démo Üser', address: 'demo@webpop.example' }]);
    expect(parsed.subject).toBe('Größe 🚀');
    expect(parsed.text).toBe('Hallo Ana,\n> not a quote\n');
    expect(parsed.headers.has('bcc')).toBe(false);
    expect(parsed.attachments.map((a) => a.filename)).toEqual(['résumé.bin']);
    expect(new Uint8Array(parsed.attachments[0]!.content)).toEqual(bytes);

    const sent = await app.mailStore.messages(app.key, 'sent');
    expect(sent).toHaveLength(1);
    expect(await app.mailStore.raw(app.key, sent[0]!.uid)).toEqual(new Uint8Array(received!.data));
    expect(await app.mailStore.compose.drafts(app.key)).toEqual([]);
    expect(app.store.getState().rows.filter((row) => row.place === 'sent')).toMatchObject([
      { subject: 'Größe 🚀', saved: true },
    ]);
  });

  it('says BODY=8BITMIME exactly when the builder wrote an 8-bit byte (a forwarded 8bit message)', async () => {
    const app = await signedIn();
    app.actions.newMessage();
    app.actions.editCompose({ to: 'ana@example.org', subject: 'Größe', text: 'Grüße, quoted-printable' });
    await app.actions.sendMessage();
    const original = new TextEncoder().encode('From: a@example.org\r\nSubject: x\r\n\r\n8-bit: äöü\r\n');
    app.actions.newMessage();
    app.actions.editCompose({ to: 'ana@example.org', subject: 'Fwd', text: 'below' });
    await app.actions.attachFiles([new File([original], 'x.eml', { type: 'message/rfc822' })]);
    await app.actions.sendMessage();
    const [plain, forwarded] = app.smtp.messages;
    expect(plain!.data.some((byte) => byte > 0x7f)).toBe(false);
    expect(plain!.mailParameters).not.toContain('BODY=8BITMIME');
    expect(forwarded!.data.some((byte) => byte > 0x7f)).toBe(true);
    expect(forwarded!.mailParameters).toContain('BODY=8BITMIME');
  });

  it('writes as the identity: From with its name, and its Reply-To', async () => {
    const app = await signedIn();
    await app.actions.saveAccountSettings({
      ...app.store.getState().device.account!.settings,
      identity: {
        name: 'Démo Üser',
        address: 'demo@webpop.example',
        replyTo: 'Büro <office@webpop.example>',
        signature: '',
      },
    });
    app.actions.newMessage();
    expect(openDraft(app).identity.replyTo).toBe('Büro <office@webpop.example>');
    expect(openDraft(app).fields.text).toBe('');
    app.actions.editCompose({ to: 'ana@example.org', subject: 'Answer elsewhere', text: 'hi' });
    await app.actions.sendMessage();
    const parsed = await simpleParser(app.smtp.messages[0]!.data);
    expect(parsed.from?.value).toEqual([{ name: 'Démo Üser', address: 'demo@webpop.example' }]);
    expect(parsed.replyTo?.value).toEqual([{ name: 'Büro', address: 'office@webpop.example' }]);
  });

  it('a refused recipient: nothing sent, the recipient and the server words shown, the draft kept', async () => {
    const app = await signedIn({ refuseRecipients: { 'nobody@example.org': '550 5.1.1 no such user here' } });
    app.actions.newMessage();
    app.actions.editCompose({ to: 'ana@example.org, nobody@example.org', subject: 'Kept', text: 'typed' });
    await app.actions.sendMessage();
    expect(openDraft(app).status).toEqual({
      kind: 'refused',
      recipients: [{ address: 'nobody@example.org', serverText: '550 no such user here' }],
      accepted: ['ana@example.org'],
    });
    expect(app.smtp.messages).toEqual([]);
    expect((await app.mailStore.compose.drafts(app.key))[0]).toMatchObject({
      subject: 'Kept',
      text: 'typed',
    });
    expect(await app.mailStore.messages(app.key, 'sent')).toEqual([]);
  });

  it('a refused recipient among several: sent to the others only when the user asks', async () => {
    const app = await signedIn({ refuseRecipients: { 'nobody@example.org': '550 5.1.1 no such user here' } });
    app.actions.newMessage();
    app.actions.editCompose({
      to: 'ana@example.org, nobody@example.org',
      cc: 'bo@example.org',
      subject: 'To the rest',
      text: 'typed',
    });
    await app.actions.sendMessage();
    expect(openDraft(app).status).toEqual({
      kind: 'refused',
      recipients: [{ address: 'nobody@example.org', serverText: '550 no such user here' }],
      accepted: ['ana@example.org', 'bo@example.org'],
    });
    expect(app.smtp.messages).toEqual([]);
    await app.actions.sendToOthers();
    expect(app.store.getState().compose.kind).toBe('closed');
    expect(app.smtp.messages.map((m) => m.to)).toEqual([['ana@example.org', 'bo@example.org']]);
    // The message itself keeps the To the user wrote.
    expect((await simpleParser(app.smtp.messages[0]!.data)).to).toMatchObject({
      text: 'ana@example.org, nobody@example.org',
    });
    expect(app.store.getState().notice).toMatchObject({ key: 'compose.sent', params: { count: 2 } });
  });

  it('a drop in the middle of DATA: failed, nothing delivered, the draft as typed', async () => {
    const app = await signedIn({ faults: { dropMidData: { afterBytes: 100 } } });
    app.actions.newMessage();
    // Larger than loopback's socket buffers (about 4 MiB): the drop is seen before the final dot. A
    // message the buffers take whole goes out before the drop is seen: then the outcome is unknown.
    const text = 'line of text\n'.repeat(700_000);
    app.actions.editCompose({ to: 'ana@example.org', subject: 'Dropped', text });
    await app.actions.sendMessage();
    expect(openDraft(app).status.kind).toBe('failed');
    expect(app.smtp.messages).toEqual([]);
    expect((await app.mailStore.compose.drafts(app.key))[0]).toMatchObject({ subject: 'Dropped', text });
  });

  it('the reply to the final dot lost: unknown, not "nothing delivered"; the draft kept, not sent again', async () => {
    for (const then of ['drop', 'stall'] as const) {
      const app = await signedIn({ faults: { cutFinalReply: { replyBytes: 2, then } } });
      if (then === 'stall') app.smtpTimeouts.dataTermination = 200;
      app.actions.newMessage();
      app.actions.editCompose({ to: 'ana@example.org', subject: 'Maybe', text: 'hello' });
      await app.actions.sendMessage();
      const status = openDraft(app).status;
      expect(status.kind, then).toBe('unknown');
      // The server did queue it, once: the app neither filed it as sent nor tried again.
      await expect.poll(() => app.smtp.messages.length).toBe(1);
      expect(app.smtp.connectionCount).toBe(1);
      expect((await app.mailStore.compose.drafts(app.key))[0]).toMatchObject({ subject: 'Maybe' });
      expect(await app.mailStore.messages(app.key, 'sent')).toEqual([]);
    }
  });

  it('refuses to send without a recipient or with an address that is not one', async () => {
    const app = await signedIn();
    app.actions.newMessage();
    await app.actions.sendMessage();
    expect(openDraft(app).status).toEqual({ kind: 'invalid', addresses: [] });
    app.actions.editCompose({ to: 'not an address' });
    await app.actions.sendMessage();
    expect(openDraft(app).status.kind).toBe('invalid');
    expect(app.smtp.connectionCount).toBe(0);
  });

  it('discard removes the draft', async () => {
    const app = await signedIn();
    app.actions.newMessage();
    app.actions.editCompose({ subject: 'Gone' });
    await app.actions.saveDraft();
    expect(await app.mailStore.compose.drafts(app.key)).toHaveLength(1);
    await app.actions.discardDraft();
    expect(await app.mailStore.compose.drafts(app.key)).toEqual([]);
    expect(app.store.getState().compose.kind).toBe('closed');
  });
});

describe('reply fields', () => {
  const original: ParsedMessage = {
    subject: 'Plans',
    from: { name: 'Ana', address: 'ana@example.org' },
    to: [
      { name: 'Me', address: 'demo@webpop.example' },
      { name: '', address: 'bo@example.org' },
    ],
    cc: [{ name: 'Cy', address: 'cy@example.org' }],
    replyTo: [],
    date: '2026-12-01T10:00:00.000Z',
    messageId: '<m2@example.org>',
    headers: [{ name: 'References', value: '<m0@example.org> <m1@example.org>' }],
    text: 'Line one\n> older\n\nLine three\n',
    html: undefined,
    attachments: [],
  };

  it('quotes with >, prefixes Re: once and threads by In-Reply-To and References', () => {
    const reply = replyFields(original, false, 'demo@webpop.example', 'Tue, 01 Dec 2026');
    expect(reply).toMatchObject({
      to: 'Ana <ana@example.org>',
      cc: '',
      subject: 'Re: Plans',
      inReplyTo: '<m2@example.org>',
      references: ['<m0@example.org>', '<m1@example.org>', '<m2@example.org>'],
    });
    expect(reply.text).toBe(
      '\n\nOn Tue, 01 Dec 2026, Ana <ana@example.org> wrote:\n> Line one\n>> older\n>\n> Line three\n',
    );
    expect(replyFields({ ...original, subject: 'RE: Plans' }, false, '', '').subject).toBe('RE: Plans');
  });

  it('reply all: everyone else in To and Cc, never the user', () => {
    const reply = replyFields(original, true, 'DEMO@webpop.example', 'then');
    expect(reply.to).toBe('Ana <ana@example.org>');
    expect(reply.cc).toBe('bo@example.org, Cy <cy@example.org>');
    expect(quote('a\n\n>b')).toBe('> a\n>\n>>b');
  });

  it('reply all names each address once', () => {
    const twice = { ...original, cc: [{ name: 'Bo again', address: 'BO@example.org' }, ...original.cc] };
    expect(replyFields(twice, true, 'demo@webpop.example', 'then').cc).toBe(
      'bo@example.org, Cy <cy@example.org>',
    );
  });

  it('a reply to what the user sent goes to its recipients; a note to self back to the user', () => {
    const mine = { ...original, from: { name: 'Me', address: 'demo@webpop.example' } };
    expect(replyFields(mine, false, 'demo@webpop.example', 'then').to).toBe('bo@example.org');
    const all = replyFields(mine, true, 'demo@webpop.example', 'then');
    expect([all.to, all.cc]).toEqual(['bo@example.org', 'Cy <cy@example.org>']);
    const note = { ...mine, to: [{ name: '', address: 'demo@webpop.example' }], cc: [] };
    expect(replyFields(note, false, 'demo@webpop.example', 'then').to).toBe('Me <demo@webpop.example>');
  });

  it('References: the parent In-Reply-To without References; a long chain keeps its first id', () => {
    const noReferences = { ...original, headers: [{ name: 'In-Reply-To', value: '<m1@example.org>' }] };
    expect(replyFields(noReferences, false, '', '').references).toEqual([
      '<m1@example.org>',
      '<m2@example.org>',
    ]);
    const ids = Array.from({ length: 30 }, (_, i) => `<r${i}@example.org>`);
    const long = { ...original, headers: [{ name: 'References', value: ids.join('\r\n ') }] };
    const references = replyFields(long, false, '', '').references;
    expect(references).toHaveLength(20);
    expect(references).toEqual(['<r0@example.org>', ...ids.slice(12), '<m2@example.org>']);
  });
});

describe('forward fields', () => {
  const raw = new TextEncoder().encode('Subject: a/b: report\r\n\r\nbody\r\n');
  const message: ParsedMessage = {
    subject: 'a/b: report',
    from: { name: 'Ana', address: 'ana@example.org' },
    to: [{ name: '', address: 'demo@webpop.example' }],
    cc: [],
    replyTo: [],
    date: 'Tue, 01 Dec 2026 10:00:00 +0000',
    messageId: '<f@example.org>',
    headers: [],
    text: 'The report.\n',
    html: undefined,
    attachments: [
      {
        filename: 'report.pdf',
        mimeType: 'application/pdf',
        disposition: 'attachment',
        contentId: undefined,
        related: false,
        size: 3,
        content: new Uint8Array([1, 2, 3]).buffer,
      },
    ],
  };

  it('inline: Fwd: once, the original header lines and text, its files attached again', () => {
    const fields = forwardFields(message, raw, false);
    expect(fields.subject).toBe('Fwd: a/b: report');
    expect(forwardFields({ ...message, subject: 'FWD: x' }, raw, false).subject).toBe('FWD: x');
    expect(fields.text).toContain('-------- Forwarded message --------\nSubject: a/b: report\n');
    expect(fields.text).toContain('From: Ana <ana@example.org>\nTo: demo@webpop.example\n\nThe report.\n');
    expect(fields.attachments).toEqual([
      { name: 'report.pdf', type: 'application/pdf', bytes: new Uint8Array([1, 2, 3]) },
    ]);
    expect(fields.inReplyTo).toBeUndefined();
  });

  it('as an attachment: the original bytes as message/rfc822 under a safe file name', () => {
    const fields = forwardFields(message, raw, true);
    expect(fields.text).toBe('');
    expect(fields.attachments).toEqual([{ name: 'a_b_ report.eml', type: 'message/rfc822', bytes: raw }]);
  });
});
