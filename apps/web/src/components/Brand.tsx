import { createContext, useContext, type ReactNode } from 'react';
import type { Branding } from '../session/branding.js';
import { useI18n } from '../store/context.js';

const BrandingContext = createContext<Branding>({});

export function BrandingProvider({ branding, children }: { branding: Branding; children: ReactNode }) {
  return <BrandingContext.Provider value={branding}>{children}</BrandingContext.Provider>;
}

/** The operator's branding (empty when the bridge configures none). */
export function useBranding(): Branding {
  return useContext(BrandingContext);
}

/** The product's mark and name in a header: the configured logo and name, else webpop's. */
export function Brand({ hidden = false }: { hidden?: boolean }) {
  const { t } = useI18n();
  const { logoUrl, productName } = useBranding();
  return (
    <span className="brand" aria-hidden={hidden || undefined}>
      {logoUrl ? (
        <img className="brand-logo" src={logoUrl} alt="" />
      ) : (
        <span className="brand-mark" aria-hidden="true" />
      )}
      <span className="brand-name">{productName ?? t('app.name')}</span>
    </span>
  );
}
