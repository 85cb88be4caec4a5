import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { groupList, newestDate } from '../src/conversations/grouped-list.js';
import { baseSubject } from '../src/conversations/subject.js';
import { buildConversations, type ThreadInput } from '../src/conversations/threads.js';
import { messageIdLimits, parseMessageIds } from '@webpop/pop3/mail';
import { summarizeHeaders } from '../src/mime/headers.js';
import type { MessageRow } from '../src/store/rows.js';

const input = (
  key: number,
  messageId: string | undefined,
  references: string[] = [],
  subject = `subject ${key}`,
  date = key,
): ThreadInput => ({ key, name: `u${key}`, messageId, references, subject, date });

/** The conversations as sets of keys, comparable whatever the order. */
const partition = (groups: Iterable<readonly number[]>) =>
  [...groups].map((keys) => [...keys].sort((a, b) => a - b).join(',')).sort();

/**
 * The same grouping by brute force: two messages are joined when the ids each names (its own and
 * those it references) meet, or by the subject rule, closed transitively over a matrix.
 */
function bruteForce(messages: readonly ThreadInput[]): string[] {
  const n = messages.length;
  const ids = messages.map((m) => new Set([m.messageId, ...(m.references ?? [])].filter(Boolean)));
  const joined = messages.map((_, i) => messages.map((__, j) => i === j));
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) if ([...ids[i]!].some((id) => ids[j]!.has(id))) joined[i]![j] = true;
  const subjects = messages.map((m) => baseSubject(m.subject));
  for (let i = 0; i < n; i++) {
    const { base, reply } = subjects[i]!;
    if (!base || !reply || (messages[i]!.references ?? []).some(Boolean)) continue;
    // The anchor: a message of that base subject without a prefix if any, the oldest (then lowest key).
    let anchor = -1;
    for (let j = 0; j < n; j++) {
      if (subjects[j]!.base !== base) continue;
      if (anchor === -1) {
        anchor = j;
        continue;
      }
      const a = messages[anchor]!;
      const b = messages[j]!;
      const better =
        subjects[anchor]!.reply !== subjects[j]!.reply
          ? !subjects[j]!.reply
          : (b.date ?? Infinity) - (a.date ?? Infinity) < 0 ||
            ((b.date ?? Infinity) === (a.date ?? Infinity) && b.key < a.key);
      if (better) anchor = j;
    }
    joined[i]![anchor] = joined[anchor]![i] = true;
  }
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (joined[i]![j]) joined[j]![i] = true;
  for (let k = 0; k < n; k++)
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) if (joined[i]![k] && joined[k]![j]) joined[i]![j] = true;
  const groups = new Map<string, number[]>();
  messages.forEach((m, i) => {
    const label = messages
      .filter((_, j) => joined[i]![j])
      .map((other) => other.key)
      .sort((a, b) => a - b)
      .join(',');
    groups.set(label, [...(groups.get(label) ?? []), m.key]);
  });
  return partition(groups.values());
}

describe('buildConversations', () => {
  it('joins replies through References and In-Reply-To, even to a parent that is not here', () => {
    const conversations = buildConversations([
      input(1, 'a@x'),
      input(2, 'b@x', ['a@x']),
      input(3, 'c@x', ['a@x', 'b@x']),
      // Two replies to a message this mailbox never had: they meet at its id.
      input(4, 'd@x', ['gone@x']),
      input(5, 'e@x', ['gone@x']),
      input(6, 'f@x'),
    ]);
    expect(partition(conversations.members.values())).toEqual(['1,2,3', '4,5', '6']);
    expect(conversations.members.get('u1')).toEqual([1, 2, 3]); // oldest first, named by the oldest
    expect(conversations.of.get(3)).toBe('u1');
  });

  it('survives cycles and messages with one Message-ID', () => {
    const cycle = buildConversations([input(1, 'a@x', ['b@x']), input(2, 'b@x', ['a@x']), input(3, 'a@x')]);
    expect(partition(cycle.members.values())).toEqual(['1,2,3']);
    const self = buildConversations([input(1, 'a@x', ['a@x']), input(2, undefined)]);
    expect(partition(self.members.values())).toEqual(['1', '2']);
  });

  it('the subject step: a reply without references joins its base subject; same subjects alone do not', () => {
    const conversations = buildConversations([
      input(1, 'a@x', [], 'Minutes'),
      input(2, 'b@x', [], 'Re: Minutes'),
      input(3, 'c@x', [], 'AW: SV: [team] Fwd: minutes'),
      input(4, 'd@x', [], 'Отв: Minutes'),
      // The monthly invoice: the same subject, no prefix, no references.
      input(5, 'e@x', [], 'Invoice'),
      input(6, 'f@x', [], 'Invoice'),
      // Replies without an original still meet each other.
      input(7, 'g@x', [], 'Re: Lunch'),
      input(8, 'h@x', [], 'RE[2]: lunch'),
      // A reply with references is not moved by its subject.
      input(9, 'i@x', ['elsewhere@x'], 'Re: Minutes'),
    ]);
    expect(partition(conversations.members.values())).toEqual(['1,2,3,4', '5', '6', '7,8', '9']);
  });

  it('groups like the brute force does (fuzzed)', () => {
    const id = fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g', '');
    const subject = fc.constantFrom('Plan', 'Re: Plan', 'Fwd: plan', 'Lunch', 'AW: Lunch', '', 'Re: ');
    const message = fc.record({
      messageId: fc.option(id, { nil: undefined }),
      references: fc.array(id, { maxLength: 3 }),
      subject,
      date: fc.option(fc.integer({ min: 0, max: 5 }), { nil: undefined }),
    });
    fc.assert(
      fc.property(fc.array(message, { maxLength: 14 }), (messages) => {
        const inputs = messages.map((m, key) => ({ ...m, key, name: `u${key}` }));
        expect(partition(buildConversations(inputs).members.values())).toEqual(bruteForce(inputs));
      }),
      { numRuns: 300 },
    );
  });

  it('a hostile References header is bounded where it is read and when grouped', () => {
    const ids = Array.from({ length: 20_000 }, (_, index) => `<id${index}@x>`).join(' ');
    const headers = summarizeHeaders(
      new TextEncoder().encode(`Message-ID: <m@x>\r\nIn-Reply-To: <p@x>\r\nReferences: ${ids}\r\n\r\n`),
    );
    expect(headers.messageId).toBe('m@x');
    expect(headers.references).toHaveLength(messageIdLimits.maxReferences + 1);
    expect(headers.references?.at(-1)).toBe('p@x');
    // 200 messages each naming 3,000 ids (a caller that did not bound them), the 2,000th of them the
    // first message's: only the first ids of each count, so they stay apart.
    const many = Array.from({ length: 200 }, (_, key) =>
      input(
        key,
        `m${key}@x`,
        Array.from({ length: 3000 }, (__, index) => (index === 2000 ? 'm0@x' : `k${key}-${index}@x`)),
      ),
    );
    expect(buildConversations(many).members.size).toBe(200);
    expect(parseMessageIds(ids)).toHaveLength(messageIdLimits.maxReferences);
  });
});

describe('baseSubject', () => {
  it('strips reply and forward prefixes of several languages, counts and list tags', () => {
    expect(baseSubject('Re: Re[3]: FWD: Plan  B')).toEqual({ base: 'plan b', reply: true });
    expect(baseSubject('[list] SV: VS: Antw: TR: Plan')).toEqual({ base: 'plan', reply: true });
    expect(baseSubject('Отв: Ответ: Пересл: План')).toEqual({ base: 'план', reply: true });
    expect(baseSubject('Re : Réunion')).toEqual({ base: 'réunion', reply: true });
    expect(baseSubject('Plan')).toEqual({ base: 'plan', reply: false });
    expect(baseSubject('Regarding: plan')).toEqual({ base: 'regarding: plan', reply: false });
    expect(baseSubject('Re: '.repeat(10_000)).base).toBe(baseSubject('Re: '.repeat(10_000)).base);
  });
});

describe('groupList', () => {
  const row = (number: number, date: number): MessageRow =>
    ({ number, uid: `u${number}`, date, subject: `s${number}` }) as MessageRow;

  it('puts each conversation at its first row in the order shown; open, its others follow', () => {
    const conversations = buildConversations([
      input(1, 'a@x', [], 's', 1),
      input(2, 'b@x', ['a@x'], 's', 2),
      input(3, 'c@x', [], 's', 3),
      input(4, 'd@x', ['a@x'], 's', 4),
    ]);
    const shown = [row(4, 4), row(3, 3), row(2, 2), row(1, 1)];
    const closed = groupList(shown, conversations, new Set());
    expect(closed.rows.map((r) => r.number)).toEqual([4, 3]);
    expect(closed.entries.get(4)).toMatchObject({ kind: 'conversation', id: 'u1', expanded: false });
    expect(closed.entries.get(3)).toBeUndefined();
    const open = groupList(shown, conversations, new Set(['u1']));
    expect(open.rows.map((r) => r.number)).toEqual([4, 2, 1, 3]);
    expect(open.entries.get(2)).toEqual({ kind: 'member', id: 'u1' });
    // A filter that leaves one message of a conversation shows it alone.
    expect(groupList([row(2, 2), row(3, 3)], conversations, new Set()).entries.size).toBe(0);
  });
});

describe('newestDate', () => {
  it('takes the newest of a conversation of 200,000 messages (a spread into Math.max throws a RangeError there)', () => {
    // One issue's notifications, each with References to the first message: one conversation.
    const members = Array.from({ length: 200_000 }, (_, index) => ({
      date: index === 123_456 ? 9e12 : index,
    }));
    expect(newestDate(members, (member) => member.date)).toBe(9e12);
  });

  it('is undefined when no member has a date, and skips those without one', () => {
    expect(newestDate([{}, {}], (member: { date?: number }) => member.date)).toBeUndefined();
    expect(newestDate([{ date: 5 }, {}, { date: 3 }], (member: { date?: number }) => member.date)).toBe(5);
  });
});
