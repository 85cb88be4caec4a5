import { displayName } from './display-name.js';

/** C0 and C1 control characters and DEL. */
function isControl(code: number): boolean {
  return code < 0x20 || (code >= 0x7f && code <= 0x9f);
}

const reservedWindowsNames = /^(?:con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])$/i;

/**
 * A file name that is safe to save under on any system: the last path segment only; no control,
 * bidirectional-override, zero-width, filler or tag characters (displayName); none of < > : " / \ | ? *; no leading dots, no
 * trailing dots or spaces; not a reserved Windows device name; at most 150 characters with the
 * extension kept. Empty names become `fallback`.
 */
export function sanitizeFilename(name: string | null | undefined, fallback = 'attachment'): string {
  let value = (name ?? '').normalize('NFC');
  value = [...value].filter((char) => !isControl(char.codePointAt(0)!)).join('');
  value = displayName(value, Infinity);
  value = value.split(/[\\/]/).pop() ?? '';
  value = value.replace(/[<>:"|?*]/g, '_');
  value = value.replace(/\s+/g, ' ');
  value = value.replace(/^[\s.]+/, '').replace(/[\s.]+$/, '');
  if (!value) return fallback;
  const dot = value.lastIndexOf('.');
  let stem = dot > 0 ? value.slice(0, dot) : value;
  let extension = dot > 0 ? value.slice(dot) : '';
  if (reservedWindowsNames.test(stem.split('.')[0] ?? '')) stem = `_${stem}`;
  if (extension.length > 20) {
    stem += extension;
    extension = '';
  }
  const max = 150 - extension.length;
  if ([...stem].length > max) stem = [...stem].slice(0, max).join('').trimEnd();
  return `${stem}${extension}`;
}
