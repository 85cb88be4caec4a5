/** RFC 2047 "B" encoded-word for already-encoded bytes. */
export function encodedWordB(bytes: Uint8Array, charset: string): string {
  return `=?${charset}?B?${Buffer.from(bytes).toString('base64')}?=`;
}

/** RFC 2047 "Q" encoded-word for already-encoded bytes. */
export function encodedWordQ(bytes: Uint8Array, charset: string): string {
  let encoded = '';
  for (const byte of bytes) {
    if (byte === 0x20) encoded += '_';
    else if (/[A-Za-z0-9!*+\-/]/.test(String.fromCharCode(byte))) encoded += String.fromCharCode(byte);
    else encoded += `=${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return `=?${charset}?Q?${encoded}?=`;
}

/** Quoted-printable (RFC 2045) with soft line breaks at 76 characters; input lines split on LF. */
export function quotedPrintable(bytes: Uint8Array): string {
  const lines: string[] = [];
  for (const rawLine of Buffer.from(bytes).toString('latin1').split('\n')) {
    let line = '';
    const chars = [...rawLine.replace(/\r$/, '')];
    chars.forEach((char, index) => {
      const code = char.charCodeAt(0);
      const isLast = index === chars.length - 1;
      const literal = (code >= 33 && code <= 126 && char !== '=') || (char === ' ' && !isLast);
      const piece = literal ? char : `=${code.toString(16).toUpperCase().padStart(2, '0')}`;
      if (line.length + piece.length > 75) {
        lines.push(`${line}=`);
        line = '';
      }
      line += piece;
    });
    lines.push(line);
  }
  return lines.join('\r\n');
}

/** Base64 wrapped at 76 characters, CRLF separated. */
export function base64Lines(bytes: Uint8Array): string {
  return (
    Buffer.from(bytes)
      .toString('base64')
      .match(/.{1,76}/g) ?? []
  ).join('\r\n');
}

/** RFC 2231 extended parameter value: UTF-8''percent-encoded. */
export function rfc2231Value(text: string): string {
  const encoded = [...Buffer.from(text, 'utf8')]
    .map((byte) =>
      /[A-Za-z0-9!#$&+\-.^_`|~]/.test(String.fromCharCode(byte))
        ? String.fromCharCode(byte)
        : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`,
    )
    .join('');
  return `UTF-8''${encoded}`;
}
