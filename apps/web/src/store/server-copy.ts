import { serverRemovals, type MailStore, type StoredAccount } from '../mailstore/index.js';
import type { Runtime, StoreTools } from './app-state.js';
import { changeDevice } from './device-slice.js';
import { commandFailed } from './lifecycle.js';
import type { MailSession } from './mail-session.js';
import { changeMarks } from './mailbox-slice.js';

/**
 * The account's server-copy policy, applied to this session: DELE for every message `serverRemovals`
 * allows (its local copy proven, storage persistent or eviction acknowledged). The marks are the
 * session's like any DELE: they take effect at QUIT (sign out, Refresh), a session that ends any other
 * way removes nothing, Undo (RSET) takes them back, and the next session decides again.
 */
export async function applyServerCopyPolicy(
  tools: StoreTools,
  runtime: Runtime,
  session: MailSession,
  store: MailStore,
  account: StoredAccount,
): Promise<void> {
  const policy = account.settings.serverCopy;
  if (policy.kind === 'keep' || session.signal.aborted) return;
  const rows = tools.get().rows;
  const listed = new Map(
    rows.flatMap((row) =>
      row.uid !== undefined && row.onServer && !row.deleted
        ? [[row.uid, { number: row.number, size: row.size }] as const]
        : [],
    ),
  );
  const [records, persisted] = await Promise.all([
    store.messages(account.key),
    runtime.deps.storage?.persisted().catch(() => false) ?? Promise.resolve(false),
  ]);
  if (session.signal.aborted) return;
  const decision = serverRemovals({
    policy,
    records,
    listed,
    durableEnough: persisted || account.settings.evictionAcknowledged,
    now: runtime.now(),
  });
  const marked: number[] = [];
  try {
    await session.run((client) =>
      Promise.all(
        decision.remove.map(async ({ number }) => {
          await client.dele(number);
          marked.push(number);
        }),
      ),
    );
  } catch (error) {
    commandFailed(tools, session, error, 'delete.failed');
  } finally {
    if (!session.signal.aborted) {
      changeMarks(tools, new Map(marked.map((number) => [number, { deleted: true }])));
      changeDevice(tools, {
        serverCopy: {
          // Added to this session's earlier marks (a Delete under "when I delete it here" runs it again).
          marked: tools.get().device.serverCopy.marked + marked.length,
          heldForPersistence: decision.heldForPersistence,
        },
      });
    }
  }
}
