import { encodeLegacy } from './legacy-charsets.js';
import { encodedWordB, encodedWordQ } from './mime-encoding.js';
import { seededRandom } from './seeded-random.js';

export interface GenerateMessagesOptions {
  seed: number;
  /** Exact size of the header section (header lines with their CRLFs, without the blank line), if large enough. */
  headerBytes?: number;
  /** Exact size of the body; default: a random size between 200 and 4,000 bytes. */
  bodyBytes?: number;
}

const FIRST_NAMES = [
  'Alice',
  'Bob',
  'Chloé',
  'Dmitri',
  'Eva',
  'Farid',
  'Grace',
  'Hiro',
  'Ines',
  'Jonas',
  'Kemal',
  'Lena',
];
const LAST_NAMES = [
  'Martin',
  'Novak',
  'Okafor',
  'Petrov',
  'Quinn',
  'Rossi',
  'Schmidt',
  'Tanaka',
  'Usman',
  'Vidal',
];
const DOMAINS = ['example.com', 'example.net', 'example.org', 'mail.example', 'corp.example'];
const TOPICS = [
  'Quarterly report',
  'Lunch on Friday?',
  'Re: invoice 2231',
  'Meeting notes',
  'Your order has shipped',
  'Fwd: photos from the trip',
  'Build failed on main',
  'Password reset requested',
  'Weekend plans',
  'Re: Re: contract draft',
  'Newsletter #42',
  'Travel itinerary',
];
const UNICODE_TOPICS = [
  'Grüße aus München',
  'Café à Paris ☕',
  'Привет, как дела?',
  '会議の議事録',
  'Ñandú y pingüinos',
];
const LATIN1_TOPICS = ['Réunion à 14h', 'Smörgåsbord für alle', 'Año nuevo'];
const WORDS = (
  'the of and to in is that for it as was with be by on not he this are or his from at which but have an ' +
  'they you were her all she there would their we him been has when who will more no if out so said what up ' +
  'its about into than them can only other new some could time these two may then do first any my now such ' +
  'like our over man me even most made after also did many before must through back years where much your way'
).split(' ');

const BASE_DATE = Date.UTC(2024, 0, 2, 8, 0, 0);

/** Deterministic realistic messages for large mailboxes: the same seed always gives the same bytes. */
export function generateMessages(count: number, options: GenerateMessagesOptions): Uint8Array[] {
  const random = seededRandom(options.seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const messages: Uint8Array[] = [];
  let time = BASE_DATE;

  for (let index = 0; index < count; index++) {
    time += Math.floor(random() * 6 * 3600_000);
    const first = pick(FIRST_NAMES);
    const last = pick(LAST_NAMES);
    const domain = pick(DOMAINS);
    const from = `${first} ${last} <${first
      .normalize('NFD')
      .replace(/[^A-Za-z]/g, '')
      .toLowerCase()}.${last.toLowerCase()}@${domain}>`;
    const headers = [
      `From: ${/^[\x20-\x7e]*$/.test(from) ? from : `${encodedWordB(Buffer.from(`${first} ${last}`), 'UTF-8')} ${from.slice(from.indexOf('<'))}`}`,
      'To: Test User <test@webpop.example>',
      `Subject: ${subject(index, pick)}`,
      `Date: ${rfc5322Date(time)}`,
      `Message-ID: <${options.seed}.${index}.${Math.floor(random() * 1e9).toString(36)}@${domain}>`,
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=utf-8',
      'Content-Transfer-Encoding: 8bit',
    ];
    const head = padHeaders(headers, options.headerBytes, time, random);
    const bodySize = options.bodyBytes ?? 200 + Math.floor(random() * 3800);
    messages.push(Buffer.from(`${head}\r\n${body(bodySize, index, pick)}`, 'utf8'));
  }
  return messages;
}

function subject(index: number, pick: <T>(list: readonly T[]) => T): string {
  if (index % 5 === 2) return encodedWordB(Buffer.from(pick(UNICODE_TOPICS), 'utf8'), 'UTF-8');
  if (index % 7 === 4) return encodedWordQ(encodeLegacy(pick(LATIN1_TOPICS), 'iso-8859-15'), 'ISO-8859-15');
  return `${pick(TOPICS)} (${index + 1})`;
}

/**
 * Header lines plus Received headers (and one exact-size padding header) up to `target` bytes.
 * Each hop prepends its Received header, so the topmost is the latest.
 */
function padHeaders(
  headers: string[],
  target: number | undefined,
  time: number,
  random: () => number,
): string {
  const lines = headers.map((line) => `${line}\r\n`);
  const size = (): number => lines.reduce((sum, line) => sum + Buffer.byteLength(line), 0);
  if (target === undefined) return lines.join('');
  for (let hop = 1; ; hop++) {
    const received =
      `Received: from mx${hop}.example.net (mx${hop}.example.net [192.0.2.${1 + Math.floor(random() * 250)}])\r\n` +
      `\tby mail.webpop.example with ESMTPS id ${Math.floor(random() * 36 ** 8).toString(36)};\r\n` +
      `\t${rfc5322Date(time + hop * 1000)}\r\n`;
    if (size() + received.length > target) break;
    lines.unshift(received);
  }
  const missing = target - size();
  const prefix = 'X-Testkit-Padding: ';
  if (missing >= prefix.length + 3) lines.push(`${prefix}${'x'.repeat(missing - prefix.length - 2)}\r\n`);
  return lines.join('');
}

/** Plain text of exactly `bytes` bytes (ASCII), wrapped at about 72 characters, ending in CRLF. */
function body(bytes: number, index: number, pick: <T>(list: readonly T[]) => T): string {
  if (bytes <= 0) return '';
  if (bytes < 2) return 'x';
  let text = index % 10 === 3 ? '.. a line that starts with a dot, to exercise dot-stuffing\r\n' : '';
  let line = '';
  while (text.length + line.length < bytes) {
    const word = pick(WORDS);
    if (line.length + word.length + 1 > 72) {
      text += `${line}\r\n`;
      line = '';
    }
    line += line ? ` ${word}` : word.charAt(0).toUpperCase() + word.slice(1);
  }
  text = (text + line).slice(0, bytes - 2);
  // Never leave a bare CR where the cut fell between CR and LF.
  if (text.endsWith('\r')) text = `${text.slice(0, -1)}.`;
  return `${text}\r\n`;
}

function rfc5322Date(time: number): string {
  const date = new Date(time);
  const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const pad = (n: number): string => String(n).padStart(2, '0');
  return (
    `${days[date.getUTCDay()]}, ${pad(date.getUTCDate())} ${months[date.getUTCMonth()]} ${date.getUTCFullYear()} ` +
    `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} +0000`
  );
}
