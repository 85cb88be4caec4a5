import { memoryCache, type MailCache } from '../../src/mailstore/mail-cache.js';
import { decodeEncodedWords } from '@webpop/pop3/mail';
import type { ParsedMessage } from '../../src/mime/types.js';
import type { StoreApi } from 'zustand/vanilla';
import { createAppStore, type AppDeps, type AppState } from '../../src/store/app-store.js';
import { memorySettingsStorage } from '../../src/store/settings.js';
import type { SignInParams } from '../../src/session/types.js';
import { fakeConnect, FakeMaildrop, mail, type FakeMessage } from './fake-client.js';

const demoServer = { kind: 'configured', id: 'demo', label: 'Demo mailbox' } as const;

export const signInParams: SignInParams = {
  server: demoServer,
  username: 'demo',
  password: 'hunter2-secret',
  method: 'auto',
  allowPlaintext: false,
};

/** A message with the given subject, sender and date. */
export function message(
  uid: string,
  subject: string,
  from: string,
  date: string,
  body?: string,
): FakeMessage {
  return { uid, bytes: mail({ From: from, To: 'demo@webpop.example', Subject: subject, Date: date }, body) };
}

export function threeMessages(): FakeMessage[] {
  return [
    message('uid-1', 'First', 'Alice <alice@example.org>', 'Mon, 10 Nov 2025 09:00:00 +0000'),
    message('uid-2', '=?KOI8-R?B?8NLJ18XU?=', 'Ivan <ivan@example.ru>', 'Tue, 11 Nov 2025 09:00:00 +0000'),
    message('uid-3', 'Third', '"Bob B." <bob@example.org>', 'Wed, 12 Nov 2025 09:00:00 +0000'),
  ];
}

/** A simple parser stand-in for store tests (the real one runs postal-mime in a worker). */
export async function fakeParse(bytes: Uint8Array): Promise<ParsedMessage> {
  const text = new TextDecoder().decode(bytes);
  const [head = '', ...rest] = text.split('\r\n\r\n');
  const headers = head.split('\r\n').map((line) => {
    const colon = line.indexOf(':');
    return { name: line.slice(0, colon), value: line.slice(colon + 1).trim() };
  });
  const subject = decodeEncodedWords(
    headers.find((header) => header.name.toLowerCase() === 'subject')?.value ?? '',
  );
  return {
    subject,
    from: { name: '', address: 'someone@example.org' },
    to: [],
    cc: [],
    replyTo: [],
    date: undefined,
    messageId: undefined,
    headers,
    text: rest.join('\r\n\r\n'),
    html: undefined,
    attachments: [],
  };
}

export function setup(
  messages: FakeMessage[] = threeMessages(),
  options: { cache?: MailCache; deps?: Partial<AppDeps> } = {},
) {
  const maildrop = new FakeMaildrop(messages);
  const server = fakeConnect(maildrop);
  const cache = options.cache ?? memoryCache();
  const settings = memorySettingsStorage({ language: 'en' });
  const store = createAppStore({
    connect: server.connect,
    cache,
    loadServers: async () => ({
      servers: [{ id: 'demo', label: 'Demo mailbox', security: 'none', submission: true }],
      allowAnyTarget: false,
    }),
    parseMessage: fakeParse,
    settingsStorage: settings,
    flushMs: 1,
    ...options.deps,
  });
  return { store, maildrop, server, cache, settings, actions: store.getState().actions };
}

/** Resolves once the store's state satisfies `predicate` (at once when it already does). */
export function until(store: StoreApi<AppState>, predicate: (state: AppState) => boolean): Promise<void> {
  return new Promise((resolve) => {
    if (predicate(store.getState())) return resolve();
    const stop = store.subscribe((state) => {
      if (predicate(state)) {
        stop();
        resolve();
      }
    });
  });
}
