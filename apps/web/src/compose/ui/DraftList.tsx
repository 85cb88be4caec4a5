import { useEffect } from 'react';
import { useActions, useApp, useI18n } from '../../store/context.js';

/** The Drafts folder: the account's drafts on this device, newest first; one opens in "New message". */
export function DraftList() {
  const { t, listDate } = useI18n();
  const actions = useActions();
  const drafts = useApp((state) => state.drafts);
  useEffect(() => {
    void actions.loadDrafts();
  }, [actions]);
  if (drafts.length === 0) return <p className="placeholder">{t('compose.noDrafts')}</p>;
  return (
    <ul className="draft-list" aria-label="Drafts">
      {drafts.map((draft) => (
        <li key={draft.id}>
          <button type="button" className="draft" onClick={() => void actions.openDraft(draft.id)}>
            <span className="subject" dir="auto">
              {draft.subject.trim() || t('compose.noSubject')}
            </span>
            <span className="to" dir="auto">
              {draft.to}
            </span>
            <time>{listDate(draft.updatedAt)}</time>
          </button>
        </li>
      ))}
    </ul>
  );
}
