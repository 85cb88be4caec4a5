import type { OpenMessage } from '../../store/reader-slice.js';
import { useActions, useI18n } from '../../store/context.js';

type Loading = Extract<OpenMessage, { kind: 'loading' }>;

/** A message on its way: bytes received of the size LIST announced, then parsing; Cancel while downloading. */
export function Progress({ open }: { open: Loading }) {
  const { t, size } = useI18n();
  const actions = useActions();
  const total = open.total ?? open.size;
  const parsing = open.stage === 'parse';
  const label = parsing
    ? t('reader.parsing')
    : total
      ? t('reader.downloading', { received: size(open.received), total: size(total) })
      : t('reader.downloadingUnknown', { received: size(open.received) });
  return (
    <div className="reader-progress" role="status">
      <p>{label}</p>
      <progress
        aria-label="Download progress"
        max={total || undefined}
        value={parsing ? undefined : Math.min(open.received, total || open.received)}
      />
      {!parsing && (
        <button type="button" className="button" onClick={() => actions.cancelOpen()}>
          {t('reader.cancel')}
        </button>
      )}
    </div>
  );
}
