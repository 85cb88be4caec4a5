/** How the operator's bridge asks the app to present itself (GET api/branding); unset: the app's own. */
export interface Branding {
  /** The browser tab's title. */
  readonly title?: string;
  /** The name in the header. */
  readonly productName?: string;
  /** The logo's URL (relative to the page, so it works under a sub-path). */
  readonly logoUrl?: string;
  /** `#rrggbb`. */
  readonly accentColor?: string;
  /** One line on the sign-in page. */
  readonly signInText?: string;
}

const COLOUR = /^#[0-9a-f]{6}$/i;

/** GET api/branding from the bridge; no branding when it has none, answers otherwise, or is offline. */
export async function loadBranding(signal?: AbortSignal): Promise<Branding> {
  try {
    const response = await fetch(new URL('api/branding', document.baseURI), {
      signal,
      headers: { accept: 'application/json' },
      credentials: 'same-origin',
    });
    if (!response.ok) return {};
    return parseBranding(await response.json());
  } catch {
    return {};
  }
}

/** Keeps the well-formed values of an api/branding answer. */
export function parseBranding(body: unknown): Branding {
  if (typeof body !== 'object' || body === null) return {};
  const b = body as Record<string, unknown>;
  const text = (value: unknown) => (typeof value === 'string' && value.trim() !== '' ? value : undefined);
  const accent = text(b.accentColor);
  const logo = text(b.logo);
  return {
    ...(text(b.title) ? { title: text(b.title) } : {}),
    ...(text(b.productName) ? { productName: text(b.productName) } : {}),
    ...(logo ? { logoUrl: new URL(logo, document.baseURI).href } : {}),
    ...(accent && COLOUR.test(accent) ? { accentColor: accent } : {}),
    ...(text(b.signInText) ? { signInText: text(b.signInText) } : {}),
  };
}

/**
 * The accent colour on the document, in both themes, with a text colour readable on it (white or
 * near-black by the WCAG relative luminance, whichever contrasts more).
 */
export function applyAccent(root: HTMLElement, accent: string | undefined): void {
  if (!accent) return;
  root.style.setProperty('--accent', accent);
  root.style.setProperty('--accent-text', textOn(accent));
}

export function textOn(hex: string): '#ffffff' | '#0b1020' {
  const channel = (i: number) => {
    const c = parseInt(hex.slice(1 + 2 * i, 3 + 2 * i), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  const luminance = 0.2126 * channel(0) + 0.7152 * channel(1) + 0.0722 * channel(2);
  // Contrast with white (1.05 / (L + 0.05)) against with near-black (≈ (L + 0.05) / 0.0566).
  return 1.05 / (luminance + 0.05) >= (luminance + 0.05) / 0.0566 ? '#ffffff' : '#0b1020';
}
