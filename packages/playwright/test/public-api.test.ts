// The public API's types, checked by `tsc -b` (pnpm typecheck); the runtime part checks the exports.
import { describe, expect, expectTypeOf, it } from 'vitest';
import * as mailboxApi from '../src/mailbox-api.js';
import {
  Mailbox,
  MailboxTimeoutError,
  UnexpectedMessageError,
  type ArrivedMessage,
  type MessageCriteria,
  type ReceivedMessage,
  type TextPattern,
  type WaitForMessageOptions,
} from '../src/mailbox-api.js';
import type { expect as fixtureExpect } from '../src/index.js';

describe('the public API', () => {
  it('exports the runtime values the README names', () => {
    expect(Object.keys(mailboxApi).sort()).toEqual([
      'Mailbox',
      'MailboxCancelledError',
      'MailboxConfigError',
      'MailboxLoginError',
      'MailboxTimeoutError',
      'MailboxTlsError',
      'MessageContentError',
      'ReceivedMessage',
      'UnexpectedMessageError',
      'createMailbox',
      'environmentVariables',
      'parseReceivedMessage',
      'resolveMailboxOptions',
    ]);
  });

  it('types the mailbox', () => {
    expectTypeOf<Mailbox['waitForMessage']>().returns.resolves.toEqualTypeOf<ReceivedMessage>();
    expectTypeOf<Mailbox['waitForMessages']>().returns.resolves.toEqualTypeOf<ReceivedMessage[]>();
    expectTypeOf<Mailbox['waitForMessages']>().parameter(0).toEqualTypeOf<number>();
    expectTypeOf<Mailbox['expectNoMessage']>().returns.resolves.toBeVoid();
    expectTypeOf<Mailbox['address']>().parameters.toEqualTypeOf<[tag?: string]>();
    expectTypeOf<Mailbox['address']>().returns.toBeString();
    expectTypeOf<Mailbox['received']>().toEqualTypeOf<readonly ReceivedMessage[]>();
  });

  it('types the criteria: patterns, null for any recipient, a predicate on the parsed message', () => {
    expectTypeOf<TextPattern>().toEqualTypeOf<string | RegExp>();
    expectTypeOf<MessageCriteria['to']>().toEqualTypeOf<TextPattern | null | undefined>();
    expectTypeOf<MessageCriteria['match']>().toEqualTypeOf<
      ((message: ReceivedMessage) => boolean) | undefined
    >();
    expectTypeOf<WaitForMessageOptions>().toMatchTypeOf<MessageCriteria>();
    expectTypeOf<{ subject: RegExp; text: string; timeout: number }>().toMatchTypeOf<WaitForMessageOptions>();
    expectTypeOf<{ subject: number }>().not.toMatchTypeOf<WaitForMessageOptions>();
  });

  it('types the message and the errors', () => {
    expectTypeOf<ReceivedMessage['code']>().returns.toBeString();
    expectTypeOf<ReceivedMessage['codes']>().returns.toEqualTypeOf<string[]>();
    expectTypeOf<ReceivedMessage['link']>().parameter(0).toEqualTypeOf<TextPattern>();
    expectTypeOf<ReceivedMessage['links']>().returns.toEqualTypeOf<string[]>();
    expectTypeOf<MailboxTimeoutError['arrived']>().toEqualTypeOf<readonly ArrivedMessage[]>();
    expectTypeOf<MailboxTimeoutError['foundCount']>().toBeNumber();
    expectTypeOf<UnexpectedMessageError['received']>().toEqualTypeOf<ReceivedMessage>();
  });

  it('types the matchers by their receiver', () => {
    expectTypeOf<ReturnType<typeof fixtureExpect<Mailbox>>['toReceive']>().returns.resolves.toBeVoid();
    expectTypeOf<ReturnType<typeof fixtureExpect<ReceivedMessage>>['toHaveLink']>()
      .parameter(0)
      .toEqualTypeOf<TextPattern>();
    expectTypeOf<ReturnType<typeof fixtureExpect<ReceivedMessage>>['toHaveCode']>()
      .parameter(0)
      .toEqualTypeOf<TextPattern>();
    // A matcher for another receiver is not offered.
    expectTypeOf<ReturnType<typeof fixtureExpect<string>>>().not.toHaveProperty('toReceive');
  });
});
