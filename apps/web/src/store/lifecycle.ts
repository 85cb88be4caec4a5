import type { MessageKey } from '../i18n/index.js';
import { deletesToTrash } from '../mailstore/index.js';
import { describeError } from '../session/errors.js';
import type { Runtime, StoreTools } from './app-state.js';
import { isAbort, type MailSession } from './mail-session.js';
import { changeMarks, placeLocally } from './mailbox-slice.js';
import { notify } from './notices-slice.js';
import { abandonOpening } from './reader-slice.js';
import type { AccountInfo } from './session-slice.js';
import { selectDeletedRows } from './selectors.js';

/**
 * How a session ends, whoever ends it: the app (QUIT, or closing it) or the server (a drop). Used by
 * every slice that runs commands, so none of them calls another's actions.
 */

/** A command failed: a dead connection is a drop; a refusal (-ERR) is a notice. */
export function commandFailed(
  tools: StoreTools,
  session: MailSession,
  error: unknown,
  key: MessageKey,
): void {
  if (isAbort(error)) return;
  if (session.linkEnded) session.drop(error);
  else if (!session.signal.aborted) notify(tools, key, { tone: 'error', error: describeError(error) });
}

/** The session ended without the app asking: report it, offer Reconnect. */
export function sessionDropped(
  { set, get }: StoreTools,
  runtime: Runtime,
  account: AccountInfo,
  error: unknown,
): void {
  runtime.session = undefined;
  stopKeepalive(runtime);
  // A download in progress fails by itself (its RETR is rejected) and says so in the reader; a
  // message already downloaded and being parsed is complete and may still be shown.
  // A listing cut off is over: its progress goes, and rows still without headers stay so.
  const { listing } = get();
  if (listing.phase === 'listing' || listing.phase === 'headers')
    set({ listing: { ...listing, phase: 'done' } });
  // Without QUIT the server forgets the DELE marks (RFC 1939): show them as what they are.
  const marked = selectDeletedRows(get());
  for (const row of marked) if (row.uid !== undefined) runtime.uncommitted.add(row.uid);
  // The server keeps them: so does the Inbox here (under the local Trash, a deletion here stays in Trash).
  if (!deletesToTrash(get().device.account?.settings))
    placeLocally({ set, get }, runtime, [...runtime.uncommitted], 'inbox');
  if (marked.length > 0) {
    changeMarks({ set, get }, new Map(marked.map((row) => [row.number, { deleted: false }])));
  }
  set({
    session: {
      kind: 'broken',
      why: 'dropped',
      error: describeError(error, 'session'),
      lostDeletions: marked.length,
      account,
    },
    notice: get().notice?.key === 'delete.marked' ? null : get().notice,
    // The server-copy policy's DELEs went with the session too: the next one marks them again, and
    // until it does the status must not say they will be removed.
    device: { ...get().device, serverCopy: { ...get().device.serverCopy, marked: 0 } },
  });
}

/**
 * Ends the current session with QUIT (committing deletions), or closes it when QUIT fails; resolves
 * to whether the server acknowledged QUIT. The UIDs marked for deletion in a session whose QUIT
 * failed are remembered: the server may not have deleted them.
 */
export async function endSession(tools: StoreTools, runtime: Runtime): Promise<boolean> {
  const session = runtime.session;
  runtime.session = undefined;
  stopKeepalive(runtime);
  abandonOpening(tools, runtime);
  if (!session) return false;
  const marked = selectDeletedRows(tools.get()).flatMap((row) => (row.uid === undefined ? [] : [row.uid]));
  const committed = await session.quit();
  if (!committed) {
    for (const uid of marked) runtime.uncommitted.add(uid);
    if (!deletesToTrash(tools.get().device.account?.settings)) placeLocally(tools, runtime, marked, 'inbox');
  }
  return committed;
}

export function stopKeepalive(runtime: Runtime): void {
  if (runtime.keepaliveTimer !== undefined) clearInterval(runtime.keepaliveTimer);
  runtime.keepaliveTimer = undefined;
}

/** Checks for idleness a few times per keepalive interval (at least a second apart). */
export function startKeepalive(runtime: Runtime): void {
  stopKeepalive(runtime);
  runtime.keepaliveTimer = setInterval(
    () => void runtime.session?.keepalive(false),
    Math.max(1000, runtime.keepaliveMs / 4),
  );
}
