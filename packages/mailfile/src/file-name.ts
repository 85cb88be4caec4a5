import { utf8Bytes } from './bytes.js';

/**
 * `text` as a file name: every character outside [A-Za-z0-9._-], and a leading dot, written as %XX
 * of its UTF-8 bytes. The mapping is one to one (different texts never share a name), and no name
 * can be empty-looking, hidden, climb out of its folder (`/`, `..`) or clash with temporary files
 * whose names start with a dot.
 */
export function safeFileName(text: string): string {
  let name = '';
  for (const byte of utf8Bytes(text)) {
    const char = String.fromCharCode(byte);
    const safe = /[A-Za-z0-9._-]/.test(char) && !(name === '' && char === '.');
    name += safe ? char : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return name;
}

/** The file a message with this UIDL is saved as: `<uidl>.eml`, the UIDL made safe by safeFileName. */
export function emlFileName(uid: string): string {
  return `${safeFileName(uid)}.eml`;
}
