import type { MailAddress } from '@webpop/pop3/mail';
import type { ParsedMessage } from '../../mime/types.js';
import { useI18n } from '../../store/context.js';

function Addresses({ label, list }: { label: string; list: readonly MailAddress[] }) {
  if (list.length === 0) return null;
  return (
    <div className="meta-line">
      <dt>{label}</dt>
      <dd>
        {list.map((address, index) => (
          <span key={`${address.address}-${index}`} className="address" title={address.address} dir="auto">
            {address.name ? `${address.name} <${address.address}>` : address.address}
            {index < list.length - 1 ? ', ' : ''}
          </span>
        ))}
      </dd>
    </div>
  );
}

/** From, To, Cc, Date and size above a message. */
export function MessageMeta({ message, rawSize }: { message: ParsedMessage; rawSize: number }) {
  const { t, fullDate, size } = useI18n();
  return (
    <dl className="meta">
      <div className="meta-line">
        <dt>{t('reader.from')}</dt>
        <dd dir="auto">
          {message.from
            ? message.from.name
              ? `${message.from.name} <${message.from.address}>`
              : message.from.address
            : t('list.unknownSender')}
        </dd>
      </div>
      <Addresses label={t('reader.to')} list={message.to} />
      <Addresses label={t('reader.cc')} list={message.cc} />
      {message.date && (
        <div className="meta-line">
          <dt>{t('reader.date')}</dt>
          <dd>{fullDate(message.date)}</dd>
        </div>
      )}
      <div className="meta-line">
        <dt>{t('reader.size')}</dt>
        <dd>{size(rawSize)}</dd>
      </div>
    </dl>
  );
}
