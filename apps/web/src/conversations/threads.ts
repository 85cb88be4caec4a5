import { messageIdLimits } from '@webpop/pop3/mail';
import { baseSubject } from './subject.js';

/** What conversations are built from, per message. */
export interface ThreadInput {
  /** The caller's key (the row's message number). */
  readonly key: number;
  /** A name stable across sessions (the UIDL), for the conversation's id. */
  readonly name: string;
  readonly messageId?: string | undefined;
  /** The ids it answers: References, then In-Reply-To. */
  readonly references?: readonly string[] | undefined;
  readonly subject: string;
  readonly date?: number | undefined;
}

/** The messages grouped: each key's conversation, and each conversation's keys oldest first. */
export interface Conversations {
  /** Key → conversation id. */
  readonly of: ReadonlyMap<number, string>;
  /** Conversation id → its keys, oldest first. */
  readonly members: ReadonlyMap<string, readonly number[]>;
}

/** Ids of one message taken into account: its References are bounded where they are read, and again here. */
const MAX_IDS_PER_MESSAGE = messageIdLimits.maxReferences + 1;

/** Union-find over numbered nodes, with path halving and union by size. */
class Partition {
  private readonly parent: number[] = [];
  private readonly size: number[] = [];

  add(): number {
    this.parent.push(this.parent.length);
    this.size.push(1);
    return this.parent.length - 1;
  }

  find(node: number): number {
    let at = node;
    while (this.parent[at]! !== at) {
      this.parent[at] = this.parent[this.parent[at]!]!;
      at = this.parent[at]!;
    }
    return at;
  }

  union(a: number, b: number): void {
    let rootA = this.find(a);
    let rootB = this.find(b);
    if (rootA === rootB) return;
    if (this.size[rootA]! < this.size[rootB]!) [rootA, rootB] = [rootB, rootA];
    this.parent[rootB] = rootA;
    this.size[rootA]! += this.size[rootB]!;
  }
}

const older = (a: ThreadInput, b: ThreadInput) =>
  (a.date ?? Infinity) - (b.date ?? Infinity) || a.key - b.key;

/**
 * Groups messages into conversations, in two steps.
 *
 * 1. **References**: a message and every id it names — its own Message-ID, its References and
 *    In-Reply-To — are one connected component (union-find over messages and ids, linear in the ids):
 *    replies to a message that is not here (a missing parent) still meet at its id, a cycle of
 *    references is just more edges, and two messages with one Message-ID (a duplicate delivery, or a
 *    forged one) land in one conversation.
 * 2. **Subject** (JWZ's step for messages without references): a message that names no id and whose
 *    subject carries a reply or forward prefix (Re:, Fwd:, AW:, SV:, Отв: …) joins the conversation of
 *    the same base subject — the one holding a message without a prefix if there is one, else the oldest.
 *    A message without references or prefix stays alone (as Thunderbird does by default: the same
 *    subject each month is not one conversation).
 */
export function buildConversations(messages: readonly ThreadInput[]): Conversations {
  const partition = new Partition();
  for (let index = 0; index < messages.length; index++) partition.add();
  const idNodes = new Map<string, number>();
  const idNode = (id: string) => {
    let node = idNodes.get(id);
    if (node === undefined) {
      node = partition.add();
      idNodes.set(id, node);
    }
    return node;
  };
  const referenceless: number[] = [];
  messages.forEach((message, index) => {
    if (message.messageId) partition.union(index, idNode(message.messageId));
    const references = message.references ?? [];
    for (const id of references.slice(0, MAX_IDS_PER_MESSAGE)) if (id) partition.union(index, idNode(id));
    if (!references.some(Boolean)) referenceless.push(index);
  });

  // The subject step: for each base subject the message whose conversation replies join.
  const subjects = messages.map((message) => baseSubject(message.subject));
  const anchors = new Map<string, number>();
  messages.forEach((message, index) => {
    const { base, reply } = subjects[index]!;
    if (!base) return;
    const current = anchors.get(base);
    if (current === undefined) return void anchors.set(base, index);
    const best = subjects[current]!.reply;
    if ((best && !reply) || (best === reply && older(message, messages[current]!) < 0))
      anchors.set(base, index);
  });
  for (const index of referenceless) {
    const { base, reply } = subjects[index]!;
    const anchor = base && reply ? anchors.get(base) : undefined;
    if (anchor !== undefined) partition.union(index, anchor);
  }

  const groups = new Map<number, number[]>();
  messages.forEach((_, index) => {
    const root = partition.find(index);
    const group = groups.get(root);
    if (group) group.push(index);
    else groups.set(root, [index]);
  });
  const of = new Map<number, string>();
  const members = new Map<string, number[]>();
  for (const group of groups.values()) {
    const sorted = group.map((index) => messages[index]!).sort(older);
    const id = sorted[0]!.name;
    members.set(
      id,
      sorted.map((message) => message.key),
    );
    for (const message of sorted) of.set(message.key, id);
  }
  return { of, members };
}
