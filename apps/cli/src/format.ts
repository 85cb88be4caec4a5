/** Sizes in words: 512 B, 1.5 KiB, 3.2 MiB. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 'B';
  for (const next of units) {
    if (value < 1024) break;
    value /= 1024;
    unit = next;
  }
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${unit}`;
}

/** `2024-03-04 10:15` in local time, or `-`. */
export function formatDate(date: Date | undefined): string {
  if (!date) return '-';
  const pad = (n: number) => String(n).padStart(2, '0');
  return (
    `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ` +
    `${pad(date.getHours())}:${pad(date.getMinutes())}`
  );
}

/** Bidirectional embeddings, overrides and isolates: in a one-line cell they could reorder the columns. */
const BIDI_CONTROLS = /[\u202a-\u202e\u2066-\u2069]/g;

/**
 * Text from a message, made safe for a terminal: control characters (escape sequences, line breaks
 * a header might smuggle in) become spaces; bidirectional controls are dropped.
 */
export function printable(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ').replace(BIDI_CONTROLS, '');
}

/** Like `printable`, but keeps line breaks and tabs (for message bodies). */
export function printableText(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\r\n?/g, '\n').replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, ' ');
}

function width(text: string): number {
  return [...text].length;
}

function truncate(text: string, max: number): string {
  const chars = [...text];
  if (chars.length <= max) return text;
  return max <= 1 ? chars.slice(0, max).join('') : `${chars.slice(0, max - 1).join('')}…`;
}

export interface TableOptions {
  /** Columns aligned to the right (numbers). */
  readonly right?: readonly boolean[];
  /** Terminal width: the last column is cut to fit. */
  readonly maxWidth?: number;
}

/** Rows as aligned columns separated by two spaces; the last column is not padded. */
export function formatTable(rows: readonly (readonly string[])[], options: TableOptions = {}): string[] {
  const columns = Math.max(0, ...rows.map((row) => row.length));
  const widths = Array.from({ length: columns }, (_, column) =>
    Math.max(0, ...rows.map((row) => width(row[column] ?? ''))),
  );
  return rows.map((row) => {
    const cells = row.map((cell, column) => {
      if (column === row.length - 1) return cell;
      const pad = ' '.repeat(widths[column]! - width(cell));
      return options.right?.[column] ? pad + cell : cell + pad;
    });
    const line = cells.join('  ');
    return options.maxWidth ? truncate(line, options.maxWidth) : line;
  });
}
