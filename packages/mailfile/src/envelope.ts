import { latin1Text } from './bytes.js';
import { envelopeHeaderBytes } from './limits.js';

/**
 * The envelope sender a message carries in its `Return-Path:` field (`<bounce@example.org>` →
 * `bounce@example.org`): what an mbox `From ` line names. Undefined when the header (its first
 * `envelopeHeaderBytes`) has none, or the null path `<>`. The first Return-Path counts: the one the
 * final delivery added on top.
 */
export function envelopeSender(bytes: Uint8Array): string | undefined {
  const head = latin1Text(bytes.subarray(0, envelopeHeaderBytes));
  const lines = head.split(/\r?\n/);
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!;
    if (line === '' || line === '\r') return undefined; // the end of the header
    if (!/^return-path:/i.test(line)) continue;
    let value = line.slice('return-path:'.length);
    while (index + 1 < lines.length && /^[ \t]/.test(lines[index + 1]!)) value += lines[++index];
    const address = value.trim().replace(/^<\s*(.*?)\s*>$/, '$1');
    return address === '' ? undefined : address;
  }
  return undefined;
}
