/**
 * The file name a message with this UIDL is saved under: `<uidl>.eml`, with every character outside
 * [A-Za-z0-9._-] (and a leading dot) written as %XX of its UTF-8 bytes. The mapping is one to one,
 * so different UIDLs never share a file, and no name can start with a dot, climb out of the folder
 * or clash with the temporary files (which start with a dot).
 */
export function fileNameForUid(uid: string): string {
  return `${safeFileName(uid)}.eml`;
}

/** `text` as a file name by the rule above (without the `.eml`). */
export function safeFileName(text: string): string {
  let name = '';
  for (const byte of new TextEncoder().encode(text)) {
    const char = String.fromCharCode(byte);
    const safe = /[A-Za-z0-9._-]/.test(char) && !(name === '' && char === '.');
    name += safe ? char : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return name;
}
