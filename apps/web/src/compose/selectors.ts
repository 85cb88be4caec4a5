import { formatMailbox, type MailAddress } from '@webpop/pop3/mail';
import type { AppState } from '../store/app-state.js';
import type { MessageRow } from '../store/rows.js';

const knownByRows = new WeakMap<readonly MessageRow[], readonly string[]>();

/**
 * The addresses the address fields offer as you type: every sender in the list (the mail store's
 * headers), one entry per address, sorted; computed once per rows array.
 */
export function selectKnownAddresses(state: AppState): readonly string[] {
  let known = knownByRows.get(state.rows);
  if (!known) {
    known = knownAddresses(state.rows);
    knownByRows.set(state.rows, known);
  }
  return known;
}

/**
 * One entry per sender address (a named one wins over a bare one), sorted by what the user reads
 * first: the display name, else the address. Sorting the formatted text put every name that needs
 * quoting (`"Bob B." <bob@…>`, for its dot) before every plain one (`Alice <alice@…>`): the quote.
 */
export function knownAddresses(rows: readonly MessageRow[]): readonly string[] {
  const byAddress = new Map<string, MailAddress>();
  for (const row of rows) {
    const from = row.from;
    if (!from?.address.includes('@')) continue;
    const key = from.address.toLowerCase();
    const seen = byAddress.get(key);
    if (!seen || (from.name && !seen.name)) byAddress.set(key, from);
  }
  return [...byAddress.values()].sort(byNameThenAddress).map(formatMailbox);
}

const collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });

function byNameThenAddress(a: MailAddress, b: MailAddress): number {
  return collator.compare(a.name || a.address, b.name || b.address) || collator.compare(a.address, b.address);
}

/**
 * The signed-in server is one of the bridge's, and the bridge says it has no submission server beside
 * it: Compose, Reply and Forward are off, with the reason. A server the user named (allowAnyTarget)
 * or a list not loaded yet does not turn them off: the send itself would say what is wrong.
 */
export function selectCannotSend(state: AppState): boolean {
  const server = state.device.account?.server;
  if (server?.kind !== 'configured' || state.servers.status !== 'ready') return false;
  const info = state.servers.list.find((entry) => entry.id === server.id);
  return info !== undefined && info.submission !== true;
}
