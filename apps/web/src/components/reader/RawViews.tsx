import { useMemo } from 'react';
import { decodeText } from '@webpop/pop3/mail';
import type { ParsedMessage } from '../../mime/types.js';
import { revealBidiControls } from '../../mime/reveal-bidi.js';
import { useI18n } from '../../store/context.js';

/** The source view shows at most this much (a message may be tens of megabytes). */
const SOURCE_LIMIT = 512 * 1024;

export function HeadersView({ message }: { message: ParsedMessage }) {
  return (
    <table className="headers-view">
      <tbody>
        {message.headers.map((header, index) => (
          <tr key={index}>
            <th scope="row">{header.name}</th>
            <td dir="auto">{header.value}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function SourceView({ raw }: { raw: Uint8Array }) {
  const { t, size } = useI18n();
  const text = useMemo(() => revealBidiControls(decodeText(raw.subarray(0, SOURCE_LIMIT))), [raw]);
  return (
    <>
      {raw.length > SOURCE_LIMIT && (
        <p className="muted">
          {t('reader.sourceTruncated', { shown: size(SOURCE_LIMIT), total: size(raw.length) })}
        </p>
      )}
      <pre className="source-view" tabIndex={0}>
        {text}
      </pre>
    </>
  );
}
