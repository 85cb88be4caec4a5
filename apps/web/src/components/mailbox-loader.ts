// The mailbox (list, virtualizer, shortcuts) is its own chunk, fetched while the sign-in page is shown.
// Once it is here, App renders it directly: going through lazy() and Suspense again would show the
// fallback and, React throttling the reveal of suspended content, hold the list back by ~300 ms.
type MailboxModule = typeof import('./Mailbox.js');

let loaded: MailboxModule | undefined;
let loading: Promise<MailboxModule> | undefined;

/** Starts (or joins) loading the mailbox chunk. */
export function loadMailbox(): Promise<MailboxModule> {
  loading ??= import('./Mailbox.js').then(
    (module) => (loaded = module),
    (error: unknown) => {
      loading = undefined; // let a later attempt try again
      throw error;
    },
  );
  return loading;
}

/** The mailbox component if its chunk is already loaded. */
export function loadedMailbox(): MailboxModule['default'] | undefined {
  return loaded?.default;
}
