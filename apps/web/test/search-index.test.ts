import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { MailStore } from '../src/mailstore/index.js';
import { summarizeHeaders } from '../src/mime/headers.js';
import { parseMessage } from '../src/mime/parse.js';
import { htmlToText } from '../src/search/html-text.js';
import { Indexer } from '../src/search/indexer.js';
import { SearchDb } from '../src/search/search-db.js';
import { linesOf } from '../src/search/summary-lines.js';
import type { IndexEngine } from '../src/search/account-index.js';
import { flexEngine } from './support/flex-index.js';
import { postingsEngine, type SavedIndex } from '../src/search/search-index.js';
import { mail } from './support/fake-client.js';

const account = 'server:demo|demo';

function message(subject: string, body: string, extra: Record<string, string> = {}): Uint8Array {
  return mail(
    {
      From: 'Alice Martin <alice@example.org>',
      To: 'Demo <demo@example.org>',
      Subject: subject,
      Date: 'Mon, 10 Nov 2025 09:00:00 +0000',
      'MIME-Version': '1.0',
      'Content-Type': 'text/plain; charset=utf-8',
      ...extra,
    },
    body,
  );
}

function withAttachment(subject: string, filename: string): Uint8Array {
  return mail(
    {
      From: 'Bob Novak <bob@example.net>',
      To: 'Demo <demo@example.org>',
      Cc: 'Ольга Иванова <olga@example.ru>',
      Subject: subject,
      Date: 'Tue, 03 Jun 2025 09:00:00 +0000',
      'MIME-Version': '1.0',
      'Content-Type': 'multipart/mixed; boundary="b"',
    },
    `--b\r\nContent-Type: text/plain\r\n\r\nSee the file.\r\n--b\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment; filename="${filename}"\r\nContent-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjQK\r\n--b--\r\n`,
  );
}

const html = (subject: string, markup: string) =>
  message(subject, markup, { 'Content-Type': 'text/html; charset=utf-8' });

async function setUp(engine: IndexEngine, factory = new IDBFactory()) {
  const mailStore = await MailStore.open({ factory });
  const searchDb = await SearchDb.open({ factory });
  const indexer = new Indexer({ mailStore, searchDb, parse: (bytes) => parseMessage(bytes), engine });
  const save = async (uid: string, bytes: Uint8Array) => {
    await mailStore.recordListing(account, [
      ...(await mailStore.messages(account)).map((record) => ({ uid: record.uid, size: record.size })),
      { uid, size: bytes.length },
    ]);
    const { from, subject, date } = summarizeHeaders(bytes);
    await mailStore.putRaw(account, uid, bytes, bytes.length, { from, subject, date });
  };
  const uids = async (text: string) => (await indexer.search(account, text)).hits.map((hit) => hit.uid);
  return { factory, mailStore, searchDb, indexer, save, uids };
}

async function mailbox(engine: IndexEngine) {
  const tools = await setUp(engine);
  await tools.save('plain', message('Lunch on Friday', 'The zeppelin leaves at noon. Viele Grüße, Ёлка\r\n'));
  await tools.save('subject', message('Zeppelin tickets', 'Two seats.\r\n'));
  await tools.save(
    'html',
    html(
      'Newsletter',
      '<html><head><style>.x{}</style><script>var hidden=1</script></head><body><p>Die <b>Rechnung</b> f&uuml;r Juni</p></body></html>',
    ),
  );
  await tools.save('attached', withAttachment('Quarterly report', 'Umsätze-2025.pdf'));
  await tools.save('phrase', message('Notes', 'report quarterly, not the other way round\r\n'));
  await tools.indexer.sync(account);
  return tools;
}

// The same suite over both engines behind the app's interface (BENCHMARKS.md, Search: the decision).
describe.each([postingsEngine, flexEngine])('$name', (engine) => {
  describe('search: what is found', () => {
    it('finds a word that is only in a body, and no other message', async () => {
      const { uids } = await mailbox(engine);
      expect(await uids('noon')).toEqual(['plain']);
      expect(await uids('nothing-like-this')).toEqual([]);
    });

    it('ranks a subject hit above a body hit', async () => {
      const { uids } = await mailbox(engine);
      expect(await uids('zeppelin')).toEqual(['subject', 'plain']);
    });

    it('matches prefixes and ignores diacritics (German, Russian)', async () => {
      const { uids } = await mailbox(engine);
      expect(await uids('grusse')).toEqual(['plain']);
      expect(await uids('GRÜSSE')).toEqual(['plain']);
      expect(await uids('елка')).toEqual(['plain']);
      expect(await uids('rechn')).toEqual(['html']);
      expect(await uids('umsatze')).toEqual(['attached']);
      expect(await uids('ольга')).toEqual(['attached']);
    });

    it('searches HTML bodies as text, not their markup or scripts', async () => {
      const { uids } = await mailbox(engine);
      expect(await uids('fur juni')).toEqual(['html']);
      expect(await uids('hidden')).toEqual([]);
      expect(await uids('style')).toEqual([]);
    });

    it('answers the operators', async () => {
      const { uids } = await mailbox(engine);
      expect(await uids('has:attachment')).toEqual(['attached']);
      expect(await uids('from:bob')).toEqual(['attached']);
      expect((await uids('from:alice')).sort()).toEqual(['html', 'phrase', 'plain', 'subject']);
      expect(await uids('to:olga')).toEqual(['attached']);
      expect(await uids('subject:quarterly')).toEqual(['attached']);
      expect(await uids('subject:zeppelin')).toEqual(['subject']);
      expect((await uids('before:2025-11-10')).sort()).toEqual(['attached']);
      expect((await uids('after:2025-11 zeppelin')).sort()).toEqual(['plain', 'subject']);
      expect(await uids('larger:100000')).toEqual([]);
      expect(await uids('larger:200 has:attachment')).toEqual(['attached']);
    });

    it('keeps quoted phrases in order', async () => {
      const { uids } = await mailbox(engine);
      expect(await uids('"quarterly report"')).toEqual(['attached']);
      expect(await uids('"report quarterly"')).toEqual(['phrase']);
      expect((await uids('report quarterly')).sort()).toEqual(['attached', 'phrase']);
    });

    it('searches headers-only messages by sender and subject, and says they are', async () => {
      const tools = await setUp(engine);
      await tools.mailStore.recordListing(account, [{ uid: 'top-only', size: 900 }]);
      await tools.mailStore.putHeaders(account, [
        [
          'top-only',
          { from: { name: 'Jürgen Weiß', address: 'jw@example.de' }, subject: 'Angebot', date: 1 },
        ],
      ]);
      await tools.indexer.sync(account);
      const outcome = await tools.indexer.search(account, 'weiss');
      expect(outcome.hits.map((hit) => [hit.uid, hit.headersOnly])).toEqual([['top-only', true]]);
      expect(outcome.headersOnly).toBe(1);
    });
  });

  describe('search: kept in step with the store', () => {
    it('indexes only what changed, drops what went', async () => {
      const tools = await mailbox(engine);
      expect(await tools.indexer.sync(account)).toEqual({ indexed: 0, removed: 0, total: 5 });
      await tools.save('later', message('Later', 'a kangaroo appears\r\n'));
      expect(await tools.indexer.sync(account)).toEqual({ indexed: 1, removed: 0, total: 6 });
      expect(await tools.uids('kangaroo')).toEqual(['later']);
      await tools.mailStore.setState(account, ['later'], { place: 'trash' });
      await tools.mailStore.emptyTrash(account);
      expect(await tools.indexer.sync(account)).toEqual({ indexed: 0, removed: 1, total: 5 });
      expect(await tools.uids('kangaroo')).toEqual([]);
    });

    it('shares one run between syncs asked for while one runs, and sees every change made before', async () => {
      const tools = await mailbox(engine);
      await tools.save('a', message('A', 'alpha\r\n'));
      const first = tools.indexer.sync(account);
      const second = tools.indexer.sync(account);
      const third = tools.indexer.sync(account);
      expect(second).toBe(third);
      expect((await first).indexed + (await second).indexed).toBe(1);
      expect(await tools.uids('alpha')).toEqual(['a']);
    });

    it('is persisted: a new page finds the same without indexing again', async () => {
      const tools = await mailbox(engine);
      await tools.indexer.flush(account);
      const again = await setUp(engine, tools.factory);
      expect(await again.uids('zeppelin')).toEqual(['subject', 'plain']);
      expect(await again.uids('"quarterly report"')).toEqual(['attached']);
      expect(await again.indexer.sync(account)).toEqual({ indexed: 0, removed: 0, total: 5 });
      // Changes after the reload: a removal and an addition to the loaded index.
      await again.mailStore.setState(account, ['plain'], { place: 'trash' });
      await again.mailStore.emptyTrash(account);
      await again.save('later', message('Zeppelin again', 'a kangaroo appears\r\n'));
      expect(await again.indexer.sync(account)).toEqual({ indexed: 1, removed: 1, total: 5 });
      expect((await again.uids('zeppelin')).sort()).toEqual(['later', 'subject']);
      expect(await again.uids('noon')).toEqual([]);
    });

    it('rebuilds from the store with the same answers', async () => {
      const tools = await mailbox(engine);
      const before = await tools.uids('zeppelin');
      expect(await tools.indexer.rebuild(account)).toEqual({ indexed: 5, removed: 0, total: 5 });
      expect(await tools.uids('zeppelin')).toEqual(before);
      expect(await tools.uids('"quarterly report"')).toEqual(['attached']);
    });

    it('rebuilds when the saved index is of another format', async () => {
      const tools = await mailbox(engine);
      // What format 1 (MiniSearch's JSON) saved: an index from before the engine changed.
      const older = { format: 1, index: '{}', signatures: [['plain', '1:headers']] };
      await tools.searchDb.saveIndex(account, older as unknown as SavedIndex);
      const again = await setUp(engine, tools.factory);
      expect(await again.indexer.sync(account)).toEqual({ indexed: 5, removed: 0, total: 5 });
      expect(await again.uids('zeppelin')).toEqual(['subject', 'plain']);
    });

    it('rebuilds an index the other engine saved (changing engines migrates through the store)', async () => {
      const other = engine === postingsEngine ? flexEngine : postingsEngine;
      const tools = await mailbox(other);
      await tools.indexer.flush(account);
      const again = await setUp(engine, tools.factory);
      expect(await again.indexer.sync(account)).toEqual({ indexed: 5, removed: 0, total: 5 });
      expect(await again.uids('zeppelin')).toEqual(['subject', 'plain']);
      expect(await again.uids('"quarterly report"')).toEqual(['attached']);
    });

    it('tells the page which list lines changed after the version it has, a slice per answer', async () => {
      const tools = await mailbox(engine);
      const sliced = new Indexer({
        mailStore: tools.mailStore,
        searchDb: tools.searchDb,
        parse: (bytes) => parseMessage(bytes),
        engine,
        summariesPerAnswer: 2,
      });
      await sliced.sync(account);
      // From nothing: every message with a line, two to an answer.
      const first = await sliced.summaries(account, 0);
      expect(first.changes.uids).toHaveLength(2);
      expect(first.more).toBe(true);
      const second = await sliced.summaries(account, first.version);
      expect(second.changes.uids).toHaveLength(2);
      const third = await sliced.summaries(account, second.version);
      expect(third.more).toBe(false);
      const lines = new Map([
        ...linesOf(first.changes),
        ...linesOf(second.changes),
        ...linesOf(third.changes),
      ]);
      expect([...lines.keys()].sort()).toEqual(['attached', 'html', 'phrase', 'plain', 'subject']);
      expect(lines.get('phrase')).toEqual({
        snippet: 'report quarterly, not the other way round',
        hasAttachment: false,
      });
      expect(lines.get('attached')).toEqual({ snippet: 'See the file.', hasAttachment: true });
      // Nothing changed: nothing to send.
      await sliced.sync(account);
      expect(await sliced.summaries(account, third.version)).toEqual({
        changes: { uids: [], snippets: [], marks: new Uint8Array() },
        version: third.version,
        more: false,
      });
      // One added, one removed: just those two, the removed one as null.
      await tools.save('later', message('Later', 'a kangaroo appears\r\n'));
      await tools.mailStore.setState(account, ['plain'], { place: 'trash' });
      await tools.mailStore.emptyTrash(account);
      await sliced.sync(account);
      const news = await sliced.summaries(account, third.version);
      expect(linesOf(news.changes)).toEqual([
        ['plain', null],
        ['later', { snippet: 'a kangaroo appears', hasAttachment: false }],
      ]);
      expect(news.more).toBe(false);
      // A rebuild: whoever caught up before catches up again to the same lines.
      await sliced.rebuild(account);
      const rebuilt = new Map<string, unknown>();
      for (let version = news.version, more = true; more;) {
        const answer = await sliced.summaries(account, version);
        for (const [uid, line] of linesOf(answer.changes)) rebuilt.set(uid, line);
        ({ version, more } = answer);
      }
      expect(
        [...rebuilt]
          .filter(([, line]) => line !== null)
          .map(([uid]) => uid)
          .sort(),
      ).toEqual(['attached', 'html', 'later', 'phrase', 'subject']);
      // A new page's worker, with the saved index: everything is news to it.
      await sliced.flush(account);
      const again = await setUp(engine, tools.factory);
      const loaded = await again.indexer.summaries(account, 0);
      expect([...loaded.changes.uids].sort()).toEqual(['attached', 'html', 'later', 'phrase', 'subject']);
    });

    it('keeps finding the right messages after many are removed (compaction renumbers the rest)', async () => {
      const tools = await setUp(engine);
      // More than 64 removed (postings.ts compacts then): 66 of 70.
      for (let n = 0; n < 70; n++) await tools.save(`m${n}`, message(`Batch ${n}`, `common word${n}\r\n`));
      await tools.indexer.sync(account);
      const gone = Array.from({ length: 66 }, (_, n) => `m${n}`);
      await tools.mailStore.setState(account, gone, { place: 'trash' });
      await tools.mailStore.emptyTrash(account);
      expect(await tools.indexer.sync(account)).toEqual({ indexed: 0, removed: 66, total: 4 });
      expect((await tools.uids('common')).sort()).toEqual(['m66', 'm67', 'm68', 'm69']);
      expect(await tools.uids('word67')).toEqual(['m67']);
      expect(await tools.uids('word5')).toEqual([]);
      await tools.indexer.flush(account);
      const again = await setUp(engine, tools.factory);
      expect(await again.uids('word69')).toEqual(['m69']);
    });
  });
});

describe('HTML to text', () => {
  it('keeps text, drops tags, comments and scripts, decodes entities, is linear on broken markup', () => {
    expect(htmlToText('<p>a&amp;b</p><!-- c --><SCRIPT>d</SCRIPT>e&#x41;&#66;<br>f')).toBe('a&b\neAB\nf');
    const broken = '<a '.repeat(50_000) + '<script>'.repeat(10_000);
    expect(htmlToText(broken)).toBe('');
  });
});
