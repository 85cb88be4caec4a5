import type { SmtpError, SmtpRecipientsError, SmtpServerError } from '@webpop/smtp';
import type { StoredDraft } from '../mailstore/index.js';
import { sanitizeInPage } from '../mime/sanitizer-client.js';
import type { Runtime, Slice, StoreTools } from '../store/app-state.js';
import { notify } from '../store/notices-slice.js';
import { indexRows, localRow } from '../store/rows.js';
import {
  addressesIn,
  emptyFields,
  forwardFields,
  plausibleAddress,
  replyFields,
  withSignature,
  type ComposeFields,
  type ComposeFormat,
  type Identity,
} from './fields.js';
import { identityOf } from './identity.js';
import { composeLimits } from './limits.js';
import type { Submit } from './submit.js';

/** A recipient the server refused at RCPT, in its words. */
export interface RefusedAddress {
  readonly address: string;
  readonly serverText: string;
}

/**
 * Where sending is: `editing` (nothing tried, or the user changed something since), `sending` (bytes
 * written of the message's size), `refused` (recipients refused at RCPT: nothing was sent), `failed`
 * (the link or the server failed before the end of DATA, or a check before it: nothing was sent),
 * `unknown` (the whole message went out and the link ended before the server's reply to it: it may
 * have been accepted, so it is neither filed as sent nor sent again on its own). The draft is kept in
 * every one of them; only a sent message removes it.
 */
export type SendStatus =
  | { readonly kind: 'editing' }
  | { readonly kind: 'invalid'; readonly addresses: readonly string[] }
  | { readonly kind: 'sending'; readonly sent: number; readonly total: number }
  | {
      readonly kind: 'refused';
      readonly recipients: readonly RefusedAddress[];
      /** Those the server accepted: "Send to the others" sends to them alone, when the user asks. */
      readonly accepted: readonly string[];
    }
  | { readonly kind: 'failed'; readonly reason: string }
  | { readonly kind: 'unknown'; readonly reason: string };

/** The draft on screen, saved to the mail store as it is typed. */
export type ComposeState =
  | { readonly kind: 'closed' }
  | {
      readonly kind: 'open';
      readonly draftId: string;
      readonly fields: ComposeFields;
      readonly identity: Identity;
      /** `pending`: typed since the last write; `failed`: the store refused it (quota). */
      readonly saved: 'saved' | 'pending' | 'failed';
      readonly status: SendStatus;
    };

export interface ComposeSlice {
  readonly compose: ComposeState;
  /** The account's drafts, for the Drafts folder (newest first). */
  readonly drafts: readonly StoredDraft[];
  readonly actions: {
    newMessage(): void;
    reply(all: boolean): void;
    forward(asAttachment: boolean): void;
    openDraft(id: string): Promise<void>;
    editCompose(change: Partial<ComposeFields>): void;
    /**
     * Plain text ↔ formatted: to `html` the text becomes paragraphs (its quote a blockquote), to
     * `plain` the HTML becomes its derived text (the dialog warns first when formatting is lost).
     */
    setComposeFormat(format: ComposeFormat): Promise<void>;
    attachFiles(files: ReadonlyArray<Blob & { readonly name: string }>): Promise<void>;
    removeAttachment(index: number): void;
    saveDraft(): Promise<void>;
    /** Saves and closes: the draft stays in Drafts. */
    closeCompose(): Promise<void>;
    discardDraft(): Promise<void>;
    loadDrafts(): Promise<void>;
    sendMessage(): Promise<void>;
    /** After a refusal: sends to the recipients the server accepted, without the refused ones. */
    sendToOthers(): Promise<void>;
  };
}

function randomId(): string {
  return [...crypto.getRandomValues(new Uint8Array(12))].map((b) => b.toString(16).padStart(2, '0')).join('');
}

function accountKeyOf(tools: StoreTools): string | undefined {
  return tools.get().device.account?.key;
}

/** The formatted editor's conversions and the HTML sanitizing: loaded with the first use of either. */
const htmlTools = () => import('./html/index.js');

/** What is saved or sent: the text, and in `html` format the sanitized HTML and the text from it. */
async function composedBody(
  runtime: Runtime,
  fields: ComposeFields,
): Promise<{ text: string; html?: string }> {
  if (fields.format !== 'html') return { text: fields.text };
  const { htmlToText, safeComposeHtml } = await htmlTools();
  const html = await safeComposeHtml(fields.html, runtime.deps.sanitizeHtml ?? sanitizeInPage);
  const text = htmlToText(html);
  // Nothing written (no text, no image): sent as an empty plain message, not an empty alternative.
  return text === '' && !html.includes('<img') ? { text } : { text, html };
}

async function draftRecord(
  runtime: Runtime,
  account: string,
  draftId: string,
  fields: ComposeFields,
): Promise<Omit<StoredDraft, 'updatedAt'>> {
  const { text, html = '' } = await composedBody(runtime, fields);
  return { account, id: draftId, ...fields, text, html };
}

/** What the engine said, as the dialog shows it. */
function failureReason(error: unknown): string {
  const kind = (error as Partial<SmtpError> | undefined)?.kind;
  if (kind === 'server') {
    const { code, serverText } = error as SmtpServerError;
    return `${code} ${serverText}`.trim();
  }
  return error instanceof Error ? error.message : String(error);
}

/** Checked by `kind`, so the SMTP engine loads only with the first message sent. */
function isRecipientsError(error: unknown): error is SmtpRecipientsError {
  return (error as Partial<SmtpError> | undefined)?.kind === 'recipients';
}

/** The whole message went out and no final reply came back (the engine's `outcome-unknown`). */
function isOutcomeUnknown(error: unknown): boolean {
  return (error as Partial<SmtpError> | undefined)?.kind === 'outcome-unknown';
}

export const createComposeSlice =
  (runtime: Runtime, submit: Submit | undefined): Slice<ComposeSlice> =>
  (set, get) => {
    const tools: StoreTools = { set, get };
    let saveTimer: ReturnType<typeof setTimeout> | undefined;
    let writing: Promise<void> = Promise.resolve();

    const change = (next: Partial<Extract<ComposeState, { kind: 'open' }>>) => {
      const { compose } = get();
      if (compose.kind === 'open') set({ compose: { ...compose, ...next } });
    };

    /** Writes the draft on screen; writes follow each other, so the last one typed wins. */
    const writeDraft = (): Promise<void> => {
      clearTimeout(saveTimer);
      saveTimer = undefined;
      writing = writing.then(async () => {
        const { compose } = get();
        const account = accountKeyOf(tools);
        const store = await runtime.mailStore;
        if (compose.kind !== 'open' || !account || !store) return;
        try {
          await store.compose.putDraft(await draftRecord(runtime, account, compose.draftId, compose.fields));
          const now = get().compose;
          if (now.kind === 'open' && now.draftId === compose.draftId && now.fields === compose.fields)
            change({ saved: 'saved' });
        } catch {
          change({ saved: 'failed' });
        }
      });
      return writing;
    };

    const scheduleSave = () => {
      clearTimeout(saveTimer);
      saveTimer = setTimeout(() => void writeDraft(), composeLimits.draftSaveDelayMs);
    };

    /** The identity for a new message: saved, or the username (at the server's mail domain). */
    const currentIdentity = () => {
      const server = runtime.credentials?.server;
      const mailDomain =
        server?.kind === 'configured'
          ? get().servers.list.find((entry) => entry.id === server.id)?.mailDomain
          : undefined;
      return identityOf(get().device.account, runtime.credentials, mailDomain);
    };

    const open = (fields: ComposeFields, draftId = randomId()) => {
      const identity = currentIdentity();
      set({
        compose: { kind: 'open', draftId, fields, identity, saved: 'pending', status: { kind: 'editing' } },
      });
      void writeDraft();
    };

    const openFrom = (make: (identity: Identity) => ComposeFields | undefined) => {
      const identity = currentIdentity();
      const fields = make(identity);
      if (fields) open({ ...fields, text: withSignature(fields.text, identity.signature) });
    };

    const parsedOpen = () => {
      const opened = get().open;
      return opened?.kind === 'ready' && opened.result.kind === 'parsed'
        ? { message: opened.result.message, raw: opened.raw }
        : undefined;
    };

    return {
      compose: { kind: 'closed' },
      drafts: [],
      actions: {
        newMessage() {
          openFrom(() => emptyFields);
        },
        reply(all) {
          openFrom((identity) => {
            const original = parsedOpen();
            if (!original) return undefined;
            const when = original.message.date
              ? new Date(original.message.date).toUTCString()
              : 'an earlier day';
            return replyFields(original.message, all, identity.address, when);
          });
        },
        forward(asAttachment) {
          openFrom(() => {
            const original = parsedOpen();
            return original && forwardFields(original.message, original.raw, asAttachment);
          });
        },
        async openDraft(id) {
          const account = accountKeyOf(tools);
          const store = await runtime.mailStore;
          const draft = account && (await store?.compose.draft(account, id));
          if (!draft) return;
          const { account: _account, id: _id, updatedAt: _updatedAt, format, html, ...fields } = draft;
          // A draft saved before the formatted editor has no format: plain text.
          open({ ...fields, format: format ?? 'plain', html: html ?? '' }, id);
        },
        editCompose(fields) {
          const { compose } = get();
          if (compose.kind !== 'open' || compose.status.kind === 'sending') return;
          change({ fields: { ...compose.fields, ...fields }, saved: 'pending', status: { kind: 'editing' } });
          scheduleSave();
        },
        async setComposeFormat(format) {
          const before = get().compose;
          if (before.kind !== 'open' || before.status.kind === 'sending' || before.fields.format === format)
            return;
          const { htmlToText, textToHtml } = await htmlTools();
          const { compose } = get();
          if (
            compose.kind !== 'open' ||
            compose.draftId !== before.draftId ||
            compose.fields.format === format
          )
            return;
          const { fields } = compose;
          const next: ComposeFields =
            format === 'html'
              ? { ...fields, format, html: textToHtml(fields.text) }
              : { ...fields, format, text: htmlToText(fields.html), html: '' };
          change({ fields: next, saved: 'pending', status: { kind: 'editing' } });
          await writeDraft();
        },
        async attachFiles(files) {
          const read = await Promise.all(
            files.map(async (file) => ({
              name: file.name,
              type: file.type || 'application/octet-stream',
              bytes: new Uint8Array(await file.arrayBuffer()),
            })),
          );
          const { compose } = get();
          if (compose.kind !== 'open' || compose.status.kind === 'sending') return;
          change({
            fields: { ...compose.fields, attachments: [...compose.fields.attachments, ...read] },
            saved: 'pending',
          });
          await writeDraft();
        },
        removeAttachment(index) {
          const { compose } = get();
          if (compose.kind !== 'open' || compose.status.kind === 'sending') return;
          const attachments = compose.fields.attachments.filter((_, at) => at !== index);
          change({ fields: { ...compose.fields, attachments }, saved: 'pending' });
          scheduleSave();
        },
        saveDraft: () => writeDraft().then(() => loadDrafts(tools, runtime)),
        async closeCompose() {
          if (get().compose.kind !== 'open' || isSending(get().compose)) return;
          await writeDraft();
          set({ compose: { kind: 'closed' } });
          await loadDrafts(tools, runtime);
        },
        async discardDraft() {
          const { compose } = get();
          if (compose.kind !== 'open' || compose.status.kind === 'sending') return;
          clearTimeout(saveTimer);
          await writing;
          const account = accountKeyOf(tools);
          const store = await runtime.mailStore;
          if (account) await store?.compose.deleteDraft(account, compose.draftId);
          set({ compose: { kind: 'closed' } });
          await loadDrafts(tools, runtime);
        },
        loadDrafts: () => loadDrafts(tools, runtime),
        async sendMessage() {
          await send(tools, runtime, submit, writeDraft);
        },
        async sendToOthers() {
          const { compose } = get();
          if (compose.kind !== 'open' || compose.status.kind !== 'refused') return;
          const refused = new Set(compose.status.recipients.map(({ address }) => address.toLowerCase()));
          await send(tools, runtime, submit, writeDraft, refused);
        },
      },
    };
  };

/** The account's drafts from the store, for the Drafts folder. */
async function loadDrafts(tools: StoreTools, runtime: Runtime): Promise<void> {
  const account = accountKeyOf(tools);
  const store = await runtime.mailStore;
  const drafts = account && store ? await store.compose.drafts(account).catch(() => []) : [];
  tools.set({ drafts });
}

function isSending(compose: ComposeState): boolean {
  return compose.kind === 'open' && compose.status.kind === 'sending';
}

/** Builds, sends and files the draft on screen; on any failure the draft stays, as typed. */
async function send(
  tools: StoreTools,
  runtime: Runtime,
  submit: Submit | undefined,
  writeDraft: () => Promise<void>,
  /** Lower-case addresses left out of the envelope (refused before, the user chose to send without). */
  without: ReadonlySet<string> = new Set(),
): Promise<void> {
  const { get, set } = tools;
  const compose = get().compose;
  if (compose.kind !== 'open' || compose.status.kind === 'sending') return;
  const status = (next: SendStatus) => {
    const now = get().compose;
    if (now.kind === 'open' && now.draftId === compose.draftId) set({ compose: { ...now, status: next } });
  };
  await writeDraft();
  const { fields, identity } = compose;
  const to = addressesIn(fields.to);
  const cc = addressesIn(fields.cc);
  const bcc = addressesIn(fields.bcc);
  const keepCopy = fields.keepCopyOnServer ? [{ name: '', address: identity.address }] : [];
  const everyone = [...to, ...cc, ...bcc, ...keepCopy];
  const wrong = [...everyone.map((m) => m.address), identity.address].filter((a) => !plausibleAddress(a));
  if (to.length + cc.length + bcc.length === 0 || wrong.length > 0) {
    status({ kind: 'invalid', addresses: wrong });
    return;
  }
  if (!submit || !runtime.credentials) {
    status({ kind: 'failed', reason: 'not signed in to a server that sends' });
    return;
  }
  let body: { text: string; html?: string };
  try {
    body = await composedBody(runtime, fields);
  } catch (error) {
    status({ kind: 'failed', reason: failureReason(error) });
    return;
  }
  const { buildMessage, newMessageId } = await import('./mime/index.js');
  const { htmlDocument } = await htmlTools();
  const date = runtime.now();
  const messageId = newMessageId(identity.address, crypto.getRandomValues(new Uint8Array(16)));
  const from = { name: identity.name, address: identity.address };
  const built = buildMessage(
    {
      from,
      replyTo: addressesIn(identity.replyTo),
      to,
      cc,
      bcc,
      subject: fields.subject,
      text: body.text,
      ...(body.html !== undefined ? { html: htmlDocument(body.html) } : {}),
      attachments: fields.attachments,
      messageId,
      date,
      inReplyTo: fields.inReplyTo,
      references: fields.references,
    },
    () => crypto.getRandomValues(new Uint8Array(12)),
  );
  const total = built.bytes.length;
  const envelope = [...new Set(everyone.map((m) => m.address))].filter(
    (address) => !without.has(address.toLowerCase()),
  );
  // What the notice counts: the people written to, not the keep-a-copy Bcc to oneself.
  const recipients = new Set(
    [...to, ...cc, ...bcc].map((m) => m.address.toLowerCase()).filter((address) => !without.has(address)),
  );
  status({ kind: 'sending', sent: 0, total });
  const controller = new AbortController();
  try {
    await submit(
      runtime.credentials,
      { from: identity.address, to: envelope, bytes: built.bytes, eightBit: built.eightBit },
      {
        onLog: (entry) => runtime.log.push(entry),
        onProgress: (sent) => status({ kind: 'sending', sent, total }),
      },
      controller.signal,
    );
  } catch (error) {
    if (isRecipientsError(error)) {
      status({
        kind: 'refused',
        recipients: error.refused.map(({ address, error: refusal }) => ({
          address,
          serverText: `${refusal.code} ${refusal.serverText}`.trim(),
        })),
        accepted: error.accepted,
      });
    } else if (isOutcomeUnknown(error)) {
      // The server may have queued it: saying "not sent" could make the user send it twice.
      const cause = (error as Error).cause;
      status({ kind: 'unknown', reason: cause instanceof Error ? cause.message : '' });
    } else status({ kind: 'failed', reason: failureReason(error) });
    return;
  }
  await fileSent(tools, runtime, compose.draftId, messageId, built.bytes, {
    from,
    subject: fields.subject,
    date,
  });
  set({ compose: { kind: 'closed' } });
  notify(tools, 'compose.sent', { params: { count: recipients.size } });
  await loadDrafts(tools, runtime);
}

/** The sent message into Sent (and its draft out of Drafts), and its row into the list. */
async function fileSent(
  tools: StoreTools,
  runtime: Runtime,
  draftId: string,
  messageId: string,
  bytes: Uint8Array,
  headers: { from: { name: string; address: string }; subject: string; date: number },
): Promise<void> {
  const account = accountKeyOf(tools);
  const store = await runtime.mailStore;
  if (!account || !store) return;
  try {
    const record = await store.compose.putSent(account, messageId, bytes, headers, draftId);
    const { rows } = tools.get();
    const lowest = rows.reduce((min, row) => Math.min(min, row.number), 0);
    const next = [...rows, localRow(lowest - 1, record.uid, bytes.length, headers, true, 'sent')];
    tools.set({ rows: next, rowIndex: indexRows(next) });
  } catch {
    notify(tools, 'compose.sentNotFiled', { tone: 'warning' });
  }
}
