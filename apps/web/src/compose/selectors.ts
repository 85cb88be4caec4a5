import { formatMailbox } from '@webpop/pop3/mail';
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
    const byAddress = new Map<string, string>();
    for (const row of state.rows) {
      const from = row.from;
      if (!from?.address.includes('@')) continue;
      const key = from.address.toLowerCase();
      if (!byAddress.has(key) || (from.name && !byAddress.get(key)!.includes('<')))
        byAddress.set(key, formatMailbox(from));
    }
    known = [...byAddress.values()].sort((a, b) => a.localeCompare(b));
    knownByRows.set(state.rows, known);
  }
  return known;
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
