import type { RefObject } from 'react';
import { ListField } from '../components/ListField.js';
import { useActions, useAppShallow, useI18n } from '../store/context.js';
import { searching } from './search-slice.js';

/**
 * "Search mail": the full-text search over what is kept on this device (the Filter beside it stays
 * the instant sender/subject filter).
 */
export function SearchBox({
  inputRef,
  listRef,
}: {
  inputRef: RefObject<HTMLInputElement | null>;
  listRef: RefObject<HTMLDivElement | null>;
}) {
  const { t } = useI18n();
  const actions = useActions();
  const { text } = useAppShallow((state) => ({ text: state.search.text }));
  return (
    <div className="list-tools search-tools" role="search">
      <ListField
        inputRef={inputRef}
        label="Search mail"
        placeholder={t('search.placeholder')}
        shortcut="/"
        value={text}
        onChange={(value) => (value ? void actions.searchMail(value) : actions.clearSearch())}
        listRef={listRef}
      />
    </div>
  );
}

/** The list's status line while searching: how many shown, what was not understood, headers-only. */
export function SearchStatus({ shown }: { shown: number }) {
  const { t } = useI18n();
  const actions = useActions();
  const state = useAppShallow((s) => ({ on: searching(s), search: s.search }));
  if (!state.on) return null;
  const { phase, headersOnly, query, indexing } = state.search;
  return (
    <div className="search-status" role="status" aria-label="Search results">
      <span>
        {phase === 'searching'
          ? t('search.searching')
          : phase === 'failed'
            ? t('search.failed')
            : shown === 0
              ? t('search.none')
              : t('search.found', { count: shown })}
        {indexing && ` · ${t('search.indexing')}`}
      </span>
      {query?.problems.map((problem) => (
        <span key={problem.text} className="search-problem">
          {t('search.problem', { text: problem.text })}
        </span>
      ))}
      {headersOnly > 0 && (
        <span className="search-note">{t('search.headersOnly', { count: headersOnly })}</span>
      )}
      {phase === 'failed' && (
        <button type="button" className="button ghost" onClick={() => void actions.rebuildSearch()}>
          {t('search.rebuild')}
        </button>
      )}
    </div>
  );
}
