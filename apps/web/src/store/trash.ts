import type { Runtime, StoreTools } from './app-state.js';
import { changeMarks } from './mailbox-slice.js';
import { notify } from './notices-slice.js';
import { selectRow } from './selectors.js';
import { applyServerCopyPolicy } from './server-copy.js';

/**
 * Delete for an account that keeps mail on this device (`deletesToTrash`): the message goes to the
 * local Trash, restorable, and no DELE is sent for it here — its server copy follows the account's
 * server-copy policy. Only "Remove from the server when I delete it here" marks it at once, and only
 * when its copy here is proven and storage durable enough (`serverRemovals`); else it goes from the
 * server when Trash is emptied. Resolves to whether the message is now in Trash.
 */
export async function moveToTrash(tools: StoreTools, runtime: Runtime, number: number): Promise<boolean> {
  const row = selectRow(tools.get(), number);
  const account = tools.get().device.account;
  if (
    !row ||
    row.uid === undefined ||
    !account ||
    row.deleted ||
    (row.place !== 'inbox' && row.place !== 'archive')
  )
    return false;
  const store = await runtime.mailStore;
  if (!store) return false;
  changeMarks(tools, new Map([[number, { place: 'trash' }]]));
  const session = runtime.session;
  try {
    // Awaited: the policy below reads the record's place from the store.
    await store.setState(account.key, [row.uid], { place: 'trash' });
  } catch {
    changeMarks(tools, new Map([[number, { place: row.place }]]));
    notify(tools, 'delete.trashFailed', { tone: 'error' });
    return false;
  }
  notify(tools, 'delete.trashed');
  if (
    account.settings.serverCopy.kind === 'whenDeletedHere' &&
    session &&
    !session.signal.aborted &&
    tools.get().session.kind === 'open'
  ) {
    await applyServerCopyPolicy(tools, runtime, session, store, account);
  }
  return true;
}
