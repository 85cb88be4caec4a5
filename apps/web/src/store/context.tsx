import { createContext, useContext, useMemo, type ReactNode } from 'react';
import { useStore } from 'zustand';
import { useShallow } from 'zustand/react/shallow';
import type { StoreApi } from 'zustand/vanilla';
import {
  formatFullDate,
  formatListDate,
  formatSize,
  translate,
  type MessageKey,
  type Params,
} from '../i18n/index.js';
import type { AppActions, AppState } from './app-state.js';
import type { MessageRow } from './rows.js';
import { searching, searchRows } from '../search/search-slice.js';
import { visibleRows } from './selectors.js';
import { groupedRows, isGrouped, selectConversations } from '../conversations/grouping.js';

const StoreContext = createContext<StoreApi<AppState> | null>(null);

export function StoreProvider({ store, children }: { store: StoreApi<AppState>; children: ReactNode }) {
  return <StoreContext.Provider value={store}>{children}</StoreContext.Provider>;
}

function useStoreApi(): StoreApi<AppState> {
  const store = useContext(StoreContext);
  if (!store) throw new Error('StoreProvider is missing');
  return store;
}

/** A slice of the app state; re-renders when the slice changes. */
export function useApp<T>(selector: (state: AppState) => T): T {
  return useStore(useStoreApi(), selector);
}

/** Several fields at once, compared shallowly. */
export function useAppShallow<T extends object>(selector: (state: AppState) => T): T {
  return useStore(useStoreApi(), useShallow(selector));
}

export function useActions(): AppActions {
  return useStore(useStoreApi(), (state) => state.actions);
}

/**
 * The list as shown: filtered and sorted (grouped into conversations where the account asks for it;
 * `listEntries` says which row is what), or while searching the hits in rank order.
 */
export function useVisibleRows(): MessageRow[] {
  const { rows, search, folder, filter, sort, descending, language, grouped, expanded } = useAppShallow(
    (state) => ({
      grouped: isGrouped(state),
      expanded: state.expanded,
      rows: state.rows,
      search: state.search,
      folder: state.folder,
      filter: state.filter,
      sort: state.settings.sort,
      descending: state.settings.descending,
      language: state.settings.language,
    }),
  );
  const collator = useMemo(
    () => new Intl.Collator(language, { sensitivity: 'base', numeric: true }),
    [language],
  );
  return useMemo(() => {
    if (searching({ search })) return searchRows(rows, search);
    const shown = visibleRows(
      rows.filter((row) => row.place === folder),
      filter,
      sort,
      descending,
      collator,
    );
    return grouped && folder !== 'drafts'
      ? groupedRows(shown, selectConversations(rows, folder), expanded)
      : shown;
  }, [rows, search, folder, filter, sort, descending, collator, grouped, expanded]);
}

export interface I18n {
  readonly language: AppState['settings']['language'];
  t(key: MessageKey, params?: Params): string;
  size(bytes: number): string;
  listDate(time: number | undefined): string;
  fullDate(value: string | number | undefined): string;
}

export function useI18n(): I18n {
  const language = useApp((state) => state.settings.language);
  return useMemo(
    () => ({
      language,
      t: (key, params) => translate(language, key, params),
      size: (bytes) => formatSize(bytes, language),
      listDate: (time) => formatListDate(time, language),
      fullDate: (value) => formatFullDate(value, language),
    }),
    [language],
  );
}
