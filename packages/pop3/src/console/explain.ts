import type { ResponseCode } from '../errors.js';
import type { StatusLine } from '../protocol/status-line.js';
import type { ConsoleSend } from './console-command.js';

/** RFC 2449 and RFC 3206 response codes in words, for a learner reading a reply. */
const codeMeanings: Readonly<Record<string, string>> = {
  'IN-USE':
    '[IN-USE]: another session holds this mailbox (another client is signed in, or was cut off and the server has not noticed yet); try again when it ends.',
  'LOGIN-DELAY':
    '[LOGIN-DELAY]: the server lets this account sign in only every so often; signing in again sooner is refused.',
  'SYS/TEMP':
    '[SYS/TEMP]: a temporary problem on the server’s side (not your doing); the same command may work a little later.',
  'SYS/PERM':
    '[SYS/PERM]: a lasting problem on the server’s side; trying again will not help, its administrator can.',
  AUTH: '[AUTH]: the credentials themselves were refused (wrong name or password), not the server failing.',
  UTF8: '[UTF8]: the server speaks UTF-8 in this session (RFC 6856).',
};

const deletionNote =
  'Deletions commit only at QUIT: until then the message stays on the server, RSET removes every mark, and a session that ends without QUIT deletes nothing.';

/** Sentences explaining a console reply: its response code, and what the reply means for this command. */
export function explainConsoleReply(command: ConsoleSend, status: StatusLine, bodyBytes: number): string[] {
  const sentences: string[] = [];
  if (status.code !== undefined) sentences.push(codeMeaning(status.code));
  if (status.indicator !== '+OK') {
    if (command.reply === 'detect' && status.code === undefined) {
      sentences.push(`The server does not know ${command.verb} (or refuses it here).`);
    }
    return sentences;
  }
  const counted = mailboxCount(status.text);
  switch (command.verb) {
    case 'STAT': {
      const [count, octets] = status.text.split(' ').map(Number);
      if (Number.isSafeInteger(count) && Number.isSafeInteger(octets)) {
        sentences.push(
          `${messages(count!)} of ${octets!} octets in all (${sizeInWords(octets!)}), not counting those marked for deletion.`,
        );
      }
      break;
    }
    case 'LIST':
    case 'UIDL': {
      const [number, value] = status.text.split(' ');
      if (command.args.length > 0 && value !== undefined) {
        sentences.push(
          command.verb === 'LIST'
            ? `Message ${number} has ${value} octets (${sizeInWords(Number(value))}).`
            : `Message ${number}’s unique id is ${value}: it stays the same in every session, while the number may change.`,
        );
      }
      break;
    }
    case 'TOP':
      sentences.push(
        `The headers of message ${command.args[0] ?? '?'} and the first ${command.args[1] ?? '?'} lines of its body: ${bodyBytes} octets.`,
      );
      break;
    case 'RETR':
      sentences.push(
        `Message ${command.args[0] ?? '?'} has ${bodyBytes} octets (${sizeInWords(bodyBytes)}); only its first lines are shown here, not the whole message.`,
      );
      break;
    case 'DELE':
      sentences.push(`Message ${command.args[0] ?? '?'} is marked for deletion. ${deletionNote}`);
      break;
    case 'RSET':
      sentences.push('Every deletion mark of this session is removed: QUIT will delete nothing.');
      break;
    case 'NOOP':
      sentences.push('NOOP does nothing: it tells the server the session is still in use.');
      break;
    case 'QUIT':
      sentences.push(
        'The session has ended: the server deleted the messages marked for deletion, and a new session numbers the rest afresh.',
      );
      break;
    case 'LAST':
      sentences.push(
        'LAST (RFC 1460, dropped from RFC 1939) names the highest message number read in this session.',
      );
      break;
  }
  if (counted && command.verb !== 'STAT') sentences.push(counted);
  return sentences;
}

function codeMeaning(code: ResponseCode): string {
  return codeMeanings[code] ?? `[${code}]: a response code this console has no words for.`;
}

/** `5 messages (868540 bytes)` / `maildrop has 5 messages (868540 octets)`, as many servers say it. */
function mailboxCount(text: string): string | undefined {
  const match = /(\d+) messages? \((\d+) (?:bytes|octets)\)/i.exec(text);
  if (!match) return undefined;
  const octets = Number(match[2]);
  return `${messages(Number(match[1]))} of ${octets} octets in all (${sizeInWords(octets)}): the size of the mailbox as this session sees it.`;
}

function messages(count: number): string {
  return `${count} message${count === 1 ? '' : 's'}`;
}

/** 868540 → `848 KiB`. */
export function sizeInWords(octets: number): string {
  if (!Number.isFinite(octets)) return 'unknown size';
  if (octets < 1024) return `${octets} bytes`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = octets / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value >= 10 ? Math.round(value) : value.toFixed(1)} ${units[unit]}`;
}
