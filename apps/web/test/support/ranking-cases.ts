// Ranking quality, written down: a fixed mailbox and queries with the message a mail user expects
// on top, each case about one thing a ranking may or may not weigh. search-ranking.test.ts holds the
// shipped engine to them; `pnpm bench search` reports how each engine does (BENCHMARKS.md, Search).
import type { SearchDocument } from '../../src/search/account-index.js';

const filler = (words: number, seed: string): string =>
  Array.from({ length: words }, (_, at) => `${seed}${at % 17}`).join(' ');

function document(id: string, fields: Partial<SearchDocument>): SearchDocument {
  return {
    id,
    subject: '',
    from: 'Demo Sender demo@example.org',
    to: 'Demo demo@example.org',
    body: '',
    attachments: '',
    date: 0,
    size: 1_000,
    hasAttachment: false,
    headersOnly: false,
    snippet: '',
    ...fields,
  };
}

/** Common words in many messages, so that a rare word weighs more than a common one (idf). */
const everyday = Array.from({ length: 30 }, (_, at) =>
  document(`everyday-${at}`, {
    subject: `Invoice ${at}`,
    body: `The invoice is attached. ${filler(40, 'w')}`,
  }),
);

export const rankingMailbox: readonly SearchDocument[] = [
  ...everyday,
  document('subject-hit', { subject: 'Zeppelin tickets', body: 'Two seats for Friday.' }),
  document('body-hit', { subject: 'Lunch', body: `${filler(5, 'x')} the zeppelin leaves at noon` }),
  document('sender-hit', {
    subject: 'Hello',
    from: 'Alice Martin alice.martin@example.org',
    body: 'See you.',
  }),
  document('body-name', { subject: 'Team', body: 'Ask martin about the plan.' }),
  document('reporting', { subject: 'Reporting lines', body: filler(10, 'r') }),
  document('report', { subject: 'Report lines', body: filler(10, 'r') }),
  document('budget-topic', {
    subject: 'Numbers',
    body: `${filler(30, 'b')} budget budget the budget was cut, the budget review and the budget plan. budget`,
  }),
  document('budget-mention', { subject: 'Misc', body: `budget ${filler(44, 'c')}` }),
  document('rare-in-subject', { subject: 'Pterodactyl', body: `the invoice ${filler(20, 'p')}` }),
  document('common-in-subject', { subject: 'Invoice', body: `the pterodactyl ${filler(20, 'q')}` }),
  document('early-body', { subject: 'Plan', body: `Deadline moved to Friday. ${filler(60, 'd')}` }),
  // The same length as early-body: only where the word stands differs.
  document('late-body', { subject: 'Plan', body: `${filler(60, 'e')} deadline moved to Friday.` }),
  document('cyrillic-subject', { subject: 'Отчёт за март', body: 'Посмотрите вложение.' }),
  document('cyrillic-body', { subject: 'Письмо', body: 'Посмотрите отчёт за март.' }),
];

export interface RankingCase {
  /** What the case is about. */
  readonly about: string;
  readonly query: string;
  /** The message expected first. */
  readonly top: string;
  /** The message it must be ranked above (strictly: a tie is not a ranking). */
  readonly above: string;
}

export const rankingCases: readonly RankingCase[] = [
  { about: 'a subject hit above a body hit', query: 'zeppelin', top: 'subject-hit', above: 'body-hit' },
  { about: 'the sender above a name in a body', query: 'martin', top: 'sender-hit', above: 'body-name' },
  {
    about: 'the word itself above a longer word it starts',
    query: 'report',
    top: 'report',
    above: 'reporting',
  },
  {
    about: 'a message about the word above one mentioning it once (term frequency)',
    query: 'budget',
    top: 'budget-topic',
    above: 'budget-mention',
  },
  {
    about: 'the rare word in the subject above the common one there (inverse document frequency)',
    query: 'invoice pterodactyl',
    top: 'rare-in-subject',
    above: 'common-in-subject',
  },
  {
    about: 'an early mention in the body above a late one (position)',
    query: 'deadline',
    top: 'early-body',
    above: 'late-body',
  },
  {
    about: 'Russian without diacritics: subject above body',
    query: 'отчет',
    top: 'cyrillic-subject',
    above: 'cyrillic-body',
  },
];

/** Whether the hits (best first, with scores) have the case's top first and strictly above the other. */
export function ranksAsExpected(
  hits: ReadonlyArray<{ readonly uid: string; readonly score: number }>,
  rankingCase: RankingCase,
): boolean {
  const other = hits.find((hit) => hit.uid === rankingCase.above);
  const first = hits[0];
  return first?.uid === rankingCase.top && (other === undefined || first.score > other.score);
}
