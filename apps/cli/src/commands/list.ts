import { formatAddress, senderLabel, summarizeHeaders, type HeaderSummary } from '@webpop/pop3';
import type { ConnectionArgs } from '../args.js';
import { withMailbox } from '../connect.js';
import { describeError } from '../errors.js';
import { formatBytes, formatDate, formatTable, printable } from '../format.js';
import { isTty, println, type Io } from '../io.js';

export interface ListEntry {
  readonly number: number;
  readonly uid: string | null;
  readonly size: number;
  readonly date: string | null;
  readonly from: string;
  readonly subject: string;
}

/** One line per message, from the headers fetched with pipelined TOP n 0. */
export async function listCommand(io: Io, args: ConnectionArgs): Promise<number> {
  let failed = 0;
  const entries: ListEntry[] = [];
  const summaries: Array<HeaderSummary | undefined> = [];
  await withMailbox(io, args, async (client) => {
    const messages = await client.messages();
    const byNumber = new Map<number, HeaderSummary>();
    const { failures } = await client.fetchEach({
      numbers: messages.map((message) => message.number),
      topLines: 0,
      signal: io.signal,
      onMessage: (number, bytes) => byNumber.set(number, summarizeHeaders(bytes)),
    });
    for (const { number, error } of failures) {
      failed++;
      println(io.stderr, `webpop: message ${number}: ${describeError(error, args)}`);
    }
    for (const message of messages) {
      const summary = byNumber.get(message.number);
      summaries.push(summary);
      entries.push({
        number: message.number,
        uid: message.uid ?? null,
        size: message.size,
        date: summary?.date === undefined ? null : new Date(summary.date).toISOString(),
        from: formatAddress(summary?.from),
        subject: summary?.subject ?? '',
      });
    }
    for (const note of client.notes) println(io.stderr, `note: ${note}`);
  });

  if (args.json) {
    println(io.stdout, JSON.stringify(entries, null, 2));
  } else {
    printList(io, entries, summaries);
  }
  return failed > 0 ? 1 : 0;
}

function printList(
  io: Io,
  entries: readonly ListEntry[],
  summaries: ReadonlyArray<HeaderSummary | undefined>,
): void {
  const rows = entries.map((entry, index) => {
    const summary = summaries[index];
    return [
      String(entry.number),
      entry.uid ?? '-',
      formatBytes(entry.size),
      formatDate(summary?.date === undefined ? undefined : new Date(summary.date)),
      printable(entry.from),
      printable(senderLabel(summary?.from)),
      printable(entry.subject),
    ];
  });
  if (!isTty(io, 'stdout')) {
    // For scripts: tab-separated, exact size in bytes.
    entries.forEach((entry, index) => {
      const row = rows[index]!;
      row[2] = String(entry.size);
      row.splice(5, 1);
      println(io.stdout, row.map((cell) => cell.replace(/\t/g, ' ')).join('\t'));
    });
    return;
  }
  if (entries.length === 0) {
    println(io.stdout, 'No messages.');
    return;
  }
  const header = ['#', 'UIDL', 'SIZE', 'DATE', 'FROM', 'SUBJECT'];
  const lines = formatTable([header, ...rows.map(clipSender)], {
    right: [true, false, true, false, false, false],
    maxWidth: io.stdout.columns,
  });
  for (const line of lines) println(io.stdout, line);
}

/** Shows the sender's name only, and keeps a long one from pushing the subject off the screen. */
function clipSender(row: string[]): string[] {
  const [number, uid, size, date, , sender, subject] = row as [
    string,
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  const chars = [...sender];
  const clipped = chars.length > 30 ? `${chars.slice(0, 29).join('')}…` : sender;
  return [number, uid, size, date, clipped, subject];
}
