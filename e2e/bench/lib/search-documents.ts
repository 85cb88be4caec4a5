// Real-looking messages for the search benchmarks, as the search index sees them (text already taken
// out of the MIME): English, German and Russian words in a Zipf-like mix, names, order numbers, some
// attachments. Seeded, so every run and every library gets the same documents and queries.
import { seededRandom } from '@webpop/testkit';

export interface BenchDocument {
  readonly id: number;
  readonly subject: string;
  readonly from: string;
  readonly to: string;
  readonly body: string;
  readonly attachments: string;
}

const WORDS = (
  'the of and to in is that for it as was with be by on not this are or from at which but have an they you ' +
  'were all there would their we been has when who will more no if out so said what up about into than them can ' +
  'only other new some could time these two may then do first any now such like our over even most made after ' +
  'also did many before must through back years where much your way meeting report invoice payment contract ' +
  'delivery schedule project budget review release deadline customer support ticket server backup network ' +
  'password account update security holiday travel flight hotel booking conference agenda minutes proposal ' +
  'quarterly revenue forecast marketing campaign design prototype feedback approval signature attachment ' +
  'und der die das nicht ist mit für auf eine ich sie wir haben werden über nach auch bitte danke Grüße ' +
  'Rechnung Besprechung Termin Lieferung Bestellung Angebot Vertrag Überweisung Straße Mädchen Größe schön ' +
  'müssen Änderung Qualität Prüfung Frühstück Äpfel Bücher öffnen Schlüssel Gebühr ' +
  'и в не на я что он с как это по но они к у из за то же от все так его вы если ' +
  'встреча счёт договор доставка заказ отчёт проект ёлка привет спасибо пожалуйста письмо вложение оплата ' +
  'совещание расписание пароль сервер ошибка неделя сегодня завтра Москва'
).split(' ');
const NAMES = [
  'Alice Martin',
  'Bob Novak',
  'Chloé Okafor',
  'Dmitri Petrov',
  'Eva Quinn',
  'Farid Rossi',
  'Grace Schmidt',
  'Hiro Tanaka',
  'Inès Usman',
  'Jonas Vidal',
  'Kemal Öztürk',
  'Lena Müller',
  'Ольга Иванова',
  'Сергей Смирнов',
  'Jürgen Weiß',
  'Zoë Brontë',
];
const DOMAINS = [
  'example.com',
  'example.net',
  'example.org',
  'mail.example',
  'corp.example',
  'firma.example',
];
const EXTENSIONS = ['pdf', 'docx', 'xlsx', 'png', 'jpg', 'zip', 'txt', 'ics'];

export function benchDocuments(count: number, seed = 16): BenchDocument[] {
  const random = seededRandom(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  // Zipf-like: low indexes (the function words) far more often than the rest.
  const word = (): string => WORDS[Math.floor(WORDS.length * random() ** 2.2)]!;
  const address = (name: string): string =>
    `${name} <${
      name
        .normalize('NFD')
        .replace(/[^A-Za-z ]/g, '')
        .toLowerCase()
        .replace(' ', '.') || 'user'
    }@${pick(DOMAINS)}>`;
  const sentence = (): string => {
    const length = 5 + Math.floor(random() * 12);
    const parts = Array.from({ length }, word);
    if (random() < 0.15) parts.push(`#${10000 + Math.floor(random() * 90000)}`);
    return `${parts.join(' ')}.`;
  };
  const documents: BenchDocument[] = [];
  for (let id = 0; id < count; id++) {
    const bodyLength = Math.floor(300 + 5000 * random() ** 2);
    let body = '';
    while (body.length < bodyLength) body += `${sentence()} `;
    documents.push({
      id,
      subject: Array.from({ length: 2 + Math.floor(random() * 6) }, word).join(' '),
      from: address(pick(NAMES)),
      to: `${address(pick(NAMES))}, ${random() < 0.3 ? address(pick(NAMES)) : ''}`,
      body,
      attachments:
        random() < 0.2
          ? Array.from(
              { length: 1 + Math.floor(random() * 3) },
              () => `${word()}-${id}.${pick(EXTENSIONS)}`,
            ).join(' ')
          : '',
    });
  }
  return documents;
}

/**
 * 100 queries as people type them: a common word, a rarer one, prefixes of 3–5 letters, two words,
 * German and Russian words typed without their diacritics, a sender's name.
 */
export function benchQueries(seed = 61): string[] {
  const random = seededRandom(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const content = WORDS.filter((w) => w.length > 4);
  const plain = (text: string): string => text.normalize('NFD').replace(/\p{M}/gu, '');
  const queries: string[] = [];
  for (let i = 0; i < 100; i++) {
    const kind = i % 5;
    if (kind === 0) queries.push(pick(content));
    else if (kind === 1) queries.push(pick(content).slice(0, 3 + Math.floor(random() * 3)));
    else if (kind === 2) queries.push(`${pick(content)} ${pick(content).slice(0, 4)}`);
    else if (kind === 3) queries.push(plain(pick(content)));
    else queries.push(pick(NAMES).split(' ')[random() < 0.5 ? 0 : 1]!);
  }
  return queries;
}
