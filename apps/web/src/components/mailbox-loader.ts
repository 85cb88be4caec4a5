// The mailbox (list, virtualizer, shortcuts) is its own chunk, fetched while the sign-in page is shown.
// Once it is here, App renders it directly: going through lazy() and Suspense again would show the
// fallback and, React throttling the reveal of suspended content, hold the list back by ~300 ms.
import { chunkLoader } from '../chunk-loader.js';

const mailboxChunk = chunkLoader(() => import('./Mailbox.js'));

/** Starts (or joins) loading the mailbox chunk. */
export const loadMailbox = mailboxChunk.load;

/** The mailbox component if its chunk is already loaded. */
export function loadedMailbox() {
  return mailboxChunk.loaded()?.default;
}
