import type { EffectiveConfig } from './load.js';

/** Keys whose values are secrets by their name (none of today's keys; kept for the ones to come). */
const SECRET_KEY = /password|secret|token|credential/i;
export const REDACTED = '(redacted)';

/**
 * `--print-config`: the effective configuration as JSON, with every default filled in and paths
 * absolute. Values of secret-named keys, and every value read from a `WEBPOP_…_FILE` (the form meant for
 * secrets), are replaced by "(redacted)".
 */
export function printableConfig(effective: EffectiveConfig): string {
  const fromFiles = new Set(
    [...effective.sources].filter(([, variable]) => variable.endsWith('_FILE')).map(([key]) => key),
  );
  const redact = (value: unknown, path: string): unknown => {
    if (fromFiles.has(path)) return REDACTED;
    if (Array.isArray(value)) return value.map((item, i) => redact(item, `${path}[${i}]`));
    if (typeof value === 'object' && value !== null) {
      return Object.fromEntries(
        Object.entries(value).map(([key, inner]) => {
          const at = path ? `${path}.${key}` : key;
          return [key, SECRET_KEY.test(key) && inner !== null ? REDACTED : redact(inner, at)];
        }),
      );
    }
    return value;
  };
  return `${JSON.stringify(redact(effective.config, ''), null, 2)}\n`;
}
