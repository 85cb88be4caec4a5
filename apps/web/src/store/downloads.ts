import {
  downloadLimits,
  keepsInFull,
  MailStoreError,
  type MailStore,
  type StoredAccount,
  type StoredMessage,
} from '../mailstore/index.js';
import type { Runtime, StoreTools } from './app-state.js';
import { changeDevice, refreshStorage, type DownloadState } from './device-slice.js';
import { commandFailed } from './lifecycle.js';
import { isAbort, type MailSession } from './mail-session.js';
import { changeMarks } from './mailbox-slice.js';
import { notify } from './notices-slice.js';
import { indexRows, localRow, rowHeaders, type MessageRow } from './rows.js';
import { applyServerCopyPolicy } from './server-copy.js';

/**
 * Recorded at sign-in, after the listing: the account on this device (its settings), this session's
 * UIDLs in the store (first seen, on the server or not), rows marked saved, and the messages kept only
 * on this device added to the list. Then the background download and the server-copy policy.
 */
export async function keepMail(
  tools: StoreTools,
  runtime: Runtime,
  session: MailSession,
  remembered: Promise<StoredAccount | undefined>,
): Promise<void> {
  const [store, account] = await Promise.all([runtime.mailStore, remembered]);
  if (!store || !account || session.signal.aborted) return;
  const key = account.key;
  changeDevice(tools, { account, serverCopy: { marked: 0, heldForPersistence: 0 } });
  try {
    const listed = tools
      .get()
      .rows.flatMap((row) =>
        row.uid !== undefined && row.onServer ? [{ uid: row.uid, size: row.size }] : [],
      );
    const records = await store.recordListing(key, listed);
    if (session.signal.aborted) return;
    showRecords(tools, records);
  } catch {
    return; // The store failed: the list stays as the server gave it.
  }
  await downloadInBackground(tools, runtime, session, { includeLarger: false });
}

/**
 * Marks rows saved and in their folders, and appends the rows of messages kept only on this device
 * (below the lowest number shown, so rows added by an import after the listing get numbers of their own).
 */
export function showRecords({ set, get }: StoreTools, records: readonly StoredMessage[]): void {
  const byUid = new Map(records.map((record) => [record.uid, record]));
  const { rows } = get();
  const listedUids = new Set<string>();
  const next: MessageRow[] = rows.map((row) => {
    if (row.uid === undefined) return row;
    listedUids.add(row.uid);
    const record = byUid.get(row.uid);
    const saved = record?.downloadedAt !== undefined;
    const place = record?.place ?? 'inbox';
    const starred = record?.starred ?? false;
    return saved === row.saved && place === row.place && starred === row.starred
      ? row
      : { ...row, saved, place, starred };
  });
  let number = rows.reduce((lowest, row) => Math.min(lowest, row.number), 0);
  for (const record of records) {
    if (listedUids.has(record.uid) || record.onServer || record.storedBytes === 0) continue;
    if (record.place === 'erased') continue;
    next.push(
      localRow(
        --number,
        record.uid,
        record.storedBytes,
        record.headers,
        record.read,
        record.place,
        record.starred,
      ),
    );
  }
  set({ rows: next, rowIndex: indexRows(next) });
}

/**
 * Downloads, after the list, the messages the account's "Keep on this device" rule wants in full (and
 * with `includeLarger` those over its size too) that are not saved yet, newest first: a batch of RETRs
 * at a time through `fetchEach`, outside the urgent lane, so what the user opens goes first. Each one
 * is committed and proven by `putRaw` before it counts as saved; a reload starts where this stopped
 * (what is saved is skipped, so no UIDL is downloaded twice). The quota stops it with a message and
 * deletes nothing. Then the server-copy policy runs.
 */
export async function downloadInBackground(
  tools: StoreTools,
  runtime: Runtime,
  session: MailSession,
  options: { includeLarger: boolean },
): Promise<void> {
  const store = await runtime.mailStore;
  const account = tools.get().device.account;
  if (!store || !account || session.signal.aborted) return;
  runtime.download?.abort();
  const controller = new AbortController();
  runtime.download = controller;
  // Ends with the session too (AbortSignal.any is missing from some runtimes the tests use).
  if (session.signal.aborted) controller.abort();
  session.signal.addEventListener('abort', () => controller.abort(), { once: true });
  const { signal } = controller;
  const plan = planDownload(tools.get().rows, account, options.includeLarger);
  let saved = plan.saved;
  const progress = (phase: 'running' | 'done'): DownloadState => ({
    phase,
    saved,
    total: plan.total,
    larger: options.includeLarger ? 0 : plan.larger,
  });
  changeDevice(tools, { download: progress('running') });
  // One batch is stored and proven while the next one downloads: memory stays at two batches, and
  // the store's work (three transactions a batch, putRawBatch) no longer stalls the link.
  let storing: Promise<void> | undefined;
  let storingBytes = 0;
  const stored = async (): Promise<void> => {
    const pending = storing;
    storing = undefined;
    storingBytes = 0;
    await pending;
  };
  try {
    for (let start = 0; start < plan.need.length; start += downloadLimits.batch) {
      const batch = plan.need.slice(start, start + downloadLimits.batch);
      if (!(await roomFor(runtime, batch, storingBytes))) {
        await stored();
        throw new MailStoreError('quota', 'the storage quota is used up');
      }
      if (signal.aborted) return await stored();
      const received: Received[] = [];
      const byNumber = new Map(batch.map((row) => [row.number, row]));
      await session.run((client) =>
        client.fetchEach({
          numbers: batch.map((row) => row.number),
          signal,
          onMessage: (number, bytes) => {
            const row = byNumber.get(number);
            if (row) received.push({ row, bytes });
          },
        }),
      );
      await stored();
      if (signal.aborted) return;
      storing = saveBatch(store, account.key, received).then((done) => {
        if (signal.aborted) return;
        saved += done.length;
        changeMarks(tools, new Map(done.map((number) => [number, { saved: true }])));
        changeDevice(tools, { download: progress('running') });
      });
      storing.catch(() => {}); // awaited before the next batch is stored, or below
      storingBytes = batch.reduce((sum, row) => sum + row.size, 0);
    }
    await stored();
    if (signal.aborted) return;
    if (runtime.download === controller) runtime.download = undefined;
    await applyServerCopyPolicy(tools, runtime, session, store, account);
    if (!signal.aborted) changeDevice(tools, { download: progress('done') });
  } catch (error) {
    // A download that failed while a batch was being stored lets that batch finish first (what it
    // proves stays saved), so the state shown matches the store's.
    await stored().catch(() => {});
    if (signal.aborted || isAbort(error)) return;
    if (error instanceof MailStoreError) {
      const reason = error.kind === 'quota' ? 'quota' : 'failed';
      changeDevice(tools, {
        download: { phase: 'stopped', reason, saved, total: plan.total, larger: plan.larger },
      });
      notify(tools, reason === 'quota' ? 'device.quotaStopped' : 'device.saveFailed', { tone: 'warning' });
    } else commandFailed(tools, session, error, 'device.downloadFailed');
  } finally {
    void refreshStorage(tools, runtime);
  }
}

interface DownloadPlan {
  readonly need: readonly MessageRow[];
  readonly saved: number;
  readonly total: number;
  readonly larger: number;
}

function planDownload(
  rows: readonly MessageRow[],
  account: StoredAccount,
  includeLarger: boolean,
): DownloadPlan {
  const rule = account.settings.keepOnDevice;
  const onServer = rows.filter((row) => row.uid !== undefined && row.onServer && !row.deleted);
  const wanted = onServer.filter(
    (row) => (includeLarger && rule.kind !== 'headers') || keepsInFull(rule, row.size),
  );
  const larger =
    rule.kind === 'upTo' ? onServer.filter((row) => !row.saved && !keepsInFull(rule, row.size)).length : 0;
  const need = wanted.filter((row) => !row.saved).sort((a, b) => b.number - a.number);
  return { need, saved: wanted.length - need.length, total: wanted.length, larger };
}

/**
 * Whether the origin's quota has room for the batch beside `storingBytes` of the one still being
 * stored (true when the browser cannot tell).
 */
async function roomFor(
  runtime: Runtime,
  batch: readonly MessageRow[],
  storingBytes: number,
): Promise<boolean> {
  const estimate = await runtime.deps.storage?.estimate().catch(() => undefined);
  if (estimate?.quota === undefined) return true;
  const bytes = batch.reduce((sum, row) => sum + row.size, 0) + storingBytes;
  return estimate.quota - (estimate.usage ?? 0) >= bytes + downloadLimits.quotaMarginBytes;
}

/** A message of the batch as RETR gave it. */
interface Received {
  readonly row: MessageRow;
  readonly bytes: Uint8Array;
}

/**
 * Stores and proves a batch (putRawBatch: each message read back and compared before it counts); the
 * numbers of those saved. A message that differs from LIST, or was emptied from Trash meanwhile, is not
 * saved; a full quota or a broken store throws, with none of the batch marked saved (a later download
 * fetches it again: nothing is deleted before its copy is proven).
 */
async function saveBatch(store: MailStore, key: string, received: readonly Received[]): Promise<number[]> {
  if (received.length === 0) return [];
  const results = await store.putRawBatch(
    key,
    received.map(({ row, bytes }) => ({
      uid: row.uid!,
      bytes,
      expectedSize: row.size,
      headers: rowHeaders(row),
    })),
  );
  return results.flatMap((result, index) => {
    if (!(result instanceof MailStoreError)) return [received[index]!.row.number];
    if (result.kind === 'mismatch' || result.kind === 'missing') return [];
    throw result;
  });
}
