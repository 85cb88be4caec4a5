import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it, vi } from 'vitest';
import { groupedRows, isGrouped, listEntries, selectConversations } from '../src/conversations/grouping.js';
import { memoryCache } from '../src/mailstore/mail-cache.js';
import { MailStore } from '../src/mailstore/index.js';
import { accountKey } from '../src/session/types.js';
import type { AppState } from '../src/store/app-state.js';
import { selectSelectedRows, visibleRows } from '../src/store/selectors.js';
import { mail, type FakeMessage } from './support/fake-client.js';
import { setup, signInParams } from './support/app.js';

const key = accountKey(signInParams);

function note(
  uid: string,
  subject: string,
  day: number,
  headers: Record<string, string> = {},
  body?: string,
) {
  return {
    uid,
    bytes: mail(
      {
        From: `${uid} <${uid}@example.org>`,
        Subject: subject,
        Date: `Mon, ${day} Nov 2025 09:00:00 +0000`,
        'Message-ID': `<${uid}@example.org>`,
        ...headers,
      },
      body,
    ),
  } satisfies FakeMessage;
}

/** A plan with two replies (one by In-Reply-To only), an unrelated message, and a reply found by subject. */
function mailbox(): FakeMessage[] {
  return [
    note('plan', 'Plan', 10),
    note('other', 'Other', 11),
    note('reply1', 'Re: Plan', 12, { 'In-Reply-To': '<plan@example.org>' }),
    note('reply2', 'Re: Plan', 13, { References: '<plan@example.org> <reply1@example.org>' }),
    note('lunch', 'Lunch', 14),
    note('lunch-re', 'AW: Lunch', 15),
  ];
}

/** The list as the Mailbox shows it. */
function shown(state: AppState) {
  const list = visibleRows(
    state.rows.filter((row) => row.place === state.folder),
    state.filter,
    'date',
    true,
  );
  return isGrouped(state)
    ? groupedRows(list, selectConversations(state.rows, state.folder), state.expanded)
    : list;
}
const uids = (rows: ReadonlyArray<{ uid: string | undefined }>) => rows.map((row) => row.uid);

describe('conversations in the store', () => {
  it('groups by References, In-Reply-To and the subject step; the toggle is remembered per account', async () => {
    const { store, actions, settings } = setup(mailbox());
    await actions.signIn(signInParams);
    expect(store.getState().rows.find((row) => row.uid === 'reply2')).toMatchObject({
      messageId: 'reply2@example.org',
      references: ['plan@example.org', 'reply1@example.org'],
    });
    expect(uids(shown(store.getState()))).toEqual(['lunch-re', 'lunch', 'reply2', 'reply1', 'other', 'plan']);

    actions.setGrouped(true);
    expect(settings.load().groupedAccounts).toEqual([key]);
    const grouped = shown(store.getState());
    expect(uids(grouped)).toEqual(['lunch-re', 'reply2', 'other']);
    expect(listEntries(grouped).get(grouped[1]!.number)).toMatchObject({
      kind: 'conversation',
      id: 'plan',
      expanded: false,
    });

    actions.toggleConversation('plan');
    expect(uids(shown(store.getState()))).toEqual(['lunch-re', 'reply2', 'reply1', 'plan', 'other']);

    // Another account signed in on the same store of preferences is not grouped.
    actions.setGrouped(false);
    expect(settings.load().groupedAccounts).toEqual([]);
    expect(uids(shown(store.getState()))).toHaveLength(6);
  });

  it('a closed conversation selected stands for all its messages: read marks, stars, Delete', async () => {
    const { store, actions, server } = setup(mailbox());
    await actions.signIn(signInParams);
    actions.setGrouped(true);
    const head = shown(store.getState()).find((row) => row.uid === 'reply2')!;
    await actions.openMessage(head.number);
    expect(uids(selectSelectedRows(store.getState()))).toEqual(['plan', 'reply1', 'reply2']);
    actions.setReadSelected(true);
    expect(
      store
        .getState()
        .rows.filter((row) => row.read)
        .map((row) => row.uid),
    ).toEqual(['plan', 'reply1', 'reply2']);
    actions.toggleStarSelected();
    expect(store.getState().rows.filter((row) => row.starred)).toHaveLength(3);

    // Open, each row is its own message again.
    actions.toggleConversation('plan', true);
    expect(uids(selectSelectedRows(store.getState()))).toEqual(['reply2']);
    actions.toggleConversation('plan', false);
    await actions.deleteSelected();
    expect(server.sessions[0]!.commands.filter((line) => line.startsWith('DELE'))).toEqual([
      'DELE 1',
      'DELE 3',
      'DELE 4',
    ]);
    // "Mark all as read" over a grouped list reaches the messages inside closed conversations.
    actions.markAllRead(shown(store.getState()).map((row) => row.number));
    expect(store.getState().rows.every((row) => row.read)).toBe(true);
  });

  it('headers cached before conversations existed are read again once, then not', async () => {
    const cache = memoryCache();
    await cache.putHeaders(key, [['plan', { from: undefined, subject: 'Plan', date: 1 }]]);
    const first = setup(mailbox(), { cache });
    await first.actions.signIn(signInParams);
    expect(first.server.sessions[0]!.fetchEachCalls).toEqual([[6, 5, 4, 3, 2, 1]]);
    await first.actions.signOut();
    // The header cache is written after the list, in slices of their own.
    await vi.waitFor(async () =>
      expect([...(await cache.headers(key)).values()].every((headers) => headers.references)).toBe(true),
    );
    const second = setup(mailbox(), { cache });
    await second.actions.signIn(signInParams);
    expect(second.server.sessions[0]!.fetchEachCalls).toEqual([]);
    expect(second.store.getState().rows[0]).toMatchObject({ messageId: 'plan@example.org', references: [] });
  });
});

describe('the first lines of messages not saved here (TOP n 10)', () => {
  const qp = note(
    'qp',
    'Quoted',
    10,
    { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Transfer-Encoding': 'quoted-printable' },
    'Gr=C3=BC=C3=9Fe aus M=C3=BCn=\r\nchen, und bis bald.\r\n',
  );
  const mixed = note(
    'mixed',
    'With a file',
    11,
    { 'Content-Type': 'multipart/mixed; boundary="b1"' },
    [
      'This is a multi-part message in MIME format.',
      '--b1',
      'Content-Type: text/plain; charset=koi8-r',
      'Content-Transfer-Encoding: base64',
      '',
      btoa(String.fromCharCode(0xf0, 0xd2, 0xc9, 0xd7, 0xc5, 0xd4)),
      '--b1',
      'Content-Type: application/pdf; name="a.pdf"',
      '',
      'JVBERi0=',
      '--b1--',
      '',
    ].join('\r\n'),
  );
  const alternative = note(
    'alt',
    'Newsletter',
    12,
    { 'Content-Type': 'multipart/alternative; boundary="x"' },
    ['--x', 'Content-Type: text/html', '', '<p>Hello <b>you</b></p>', '--x--', ''].join('\r\n'),
  );
  const deep = note(
    'deep',
    'Deep',
    13,
    { 'Content-Type': 'multipart/mixed; boundary="a"' },
    [
      '--a',
      'Content-Type: multipart/alternative; boundary="b"',
      '',
      '--b',
      'Content-Type: text/plain',
      'Content-Disposition: inline',
      'X-Long: 1',
      'X-Long: 2',
      'X-Long: 3',
      '',
      'Too far down to be read.',
      '',
    ].join('\r\n'),
  );

  async function signedIn(listPreview: boolean) {
    const factory = new IDBFactory();
    const mailStore = MailStore.open({ factory, now: () => 1 });
    const store = await mailStore;
    await store.rememberAccount({ key, server: signInParams.server, username: signInParams.username });
    await store.saveSettings(key, {
      serverCopy: { kind: 'keep' },
      keepOnDevice: { kind: 'headers' },
      evictionAcknowledged: false,
      listPreview,
    });
    const app = setup([qp, mixed, alternative, deep], { deps: { mailStore: () => mailStore } });
    await app.actions.signIn(signInParams);
    return app;
  }

  it('off: TOP n 0, no snippet; the attachment mark from the headers alone', async () => {
    const { store, server } = await signedIn(false);
    expect(server.sessions[0]!.commands.filter((line) => line.startsWith('TOP'))).toContain('TOP 1 0');
    const rows = store.getState().rows;
    expect(rows.map((row) => row.preview)).toEqual([undefined, undefined, undefined, undefined]);
    expect(rows.map((row) => row.attachment ?? false)).toEqual([false, true, false, true]);
  });

  it('on: TOP n 10, decoded snippets, "headers only" where the lines hold no text', async () => {
    const { store, server } = await signedIn(true);
    expect(server.sessions[0]!.commands.filter((line) => line.startsWith('TOP'))).toEqual([
      'TOP 4 10',
      'TOP 3 10',
      'TOP 2 10',
      'TOP 1 10',
    ]);
    const rows = store.getState().rows;
    expect(rows.map((row) => row.preview)).toEqual([
      'Grüße aus München, und bis bald.',
      'Привет',
      'Hello you',
      '',
    ]);
    // multipart/alternative has no mark; a file part's header in the lines would give one.
    expect(rows.map((row) => row.attachment ?? false)).toEqual([false, true, false, true]);
  });
});
