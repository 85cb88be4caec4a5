import { translate, type Language } from '../i18n/index.js';
import type { AccountAppearance } from '../mailstore/index.js';
import type { AppState } from '../store/app-state.js';

/** Who an account is: enough to name it ("user on server"). */
export interface NamedAccount {
  readonly username: string;
  readonly server: string;
}

/** "user on server": the account's full name (a display name's title, and without one its label). */
export function accountFullName(language: Language, account: NamedAccount): string {
  return translate(language, 'toolbar.account', { user: account.username, server: account.server });
}

/** The name the account goes by in this app: its display name (Account settings), else "user on server". */
export function accountLabel(
  language: Language,
  account: NamedAccount,
  appearance: AccountAppearance | undefined,
): string {
  return appearance?.displayName || accountFullName(language, account);
}

/** The display name and colour the account's runtime has from the store (none for a shared computer). */
export function appearanceOf(state: Pick<AppState, 'device'>): AccountAppearance | undefined {
  return state.device.account?.settings.appearance;
}

/** The account's colour: the one chosen in Account settings, else the one given when it signed in. */
export function colourOf(appearance: AccountAppearance | undefined, given: string): string {
  return appearance?.colour ?? given;
}
