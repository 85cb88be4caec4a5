// The sign-in window's return handed to the tab that opened it (oauth/handover.ts), over Node's real
// BroadcastChannel and real MessageEvents on an EventTarget standing for the window: only the waiter
// whose state a return carries takes it, once; another origin, another shape, a state nobody waits
// for and a second copy are ignored; two sign-ins at once each get their own; the popup hears the
// claim (and closes), or after its timeout that nobody claimed it.
import { afterEach, describe, expect, it } from 'vitest';
import {
  HANDOVER_CHANNEL,
  HandoverHub,
  handOver,
  parseReturnMessage,
  type HandoverChannel,
} from '../src/oauth/handover.js';

const ORIGIN = 'https://mail.example.test';
const opened: BroadcastChannel[] = [];
const channel = (): HandoverChannel => {
  const one = new BroadcastChannel(HANDOVER_CHANNEL);
  opened.push(one);
  return one as unknown as HandoverChannel;
};
afterEach(() => {
  for (const one of opened.splice(0)) one.close();
});

function hub() {
  const page = new EventTarget();
  const hub = new HandoverHub({ origin: ORIGIN, channel, window: page as unknown as Window });
  return { hub, page };
}

/** The popup's page: its own channel, no opener (COOP severed it), a short wait for the claim. */
const popup = (parameters: Record<string, string>, timeoutMs = 300) =>
  handOver(
    {
      origin: ORIGIN,
      channel: channel(),
      opener: null,
      window: new EventTarget() as unknown as Window,
      timeoutMs,
    },
    new URLSearchParams(parameters),
  );

const never = () => new AbortController().signal;
const tick = (ms = 20) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the sign-in window hands its return over', () => {
  it('over the BroadcastChannel to the waiter with its state, which claims it: the popup may close', async () => {
    const { hub: opener } = hub();
    const taken = opener.expect('state-1', never());
    const claimed = popup({ code: 'the-code', state: 'state-1', iss: 'https://id.example.test' });
    const parameters = await taken;
    expect(Object.fromEntries(parameters)).toEqual({
      code: 'the-code',
      state: 'state-1',
      iss: 'https://id.example.test',
    });
    expect(await claimed).toBe(true);
    expect(opener.waiting).toBe(0);
  });

  it('a return for a state nobody waits for is not taken: the waiter goes on waiting, the popup hears no claim', async () => {
    const { hub: opener } = hub();
    let settled = false;
    const taken = opener.expect('state-1', never()).finally(() => (settled = true));
    expect(await popup({ code: 'forged', state: 'state-2' })).toBe(false);
    expect(settled).toBe(false);
    expect(opener.waiting).toBe(1);
    // The right one still gets through afterwards.
    void popup({ code: 'the-code', state: 'state-1' });
    expect((await taken).get('code')).toBe('the-code');
  });

  it('ignores stray messages: other shapes, a state not repeated in the parameters, neither code nor error', async () => {
    const { hub: opener } = hub();
    let settled = false;
    void opener.expect('state-1', never()).finally(() => (settled = true));
    const sender = channel();
    const strays: unknown[] = [
      'state-1',
      null,
      { type: 'webpop.oauth.claimed', state: 'state-1' },
      { type: 'other', state: 'state-1', parameters: 'code=c&state=state-1' },
      { type: 'webpop.oauth.return', state: 'state-1', parameters: 'code=c&state=state-2' },
      { type: 'webpop.oauth.return', state: 'state-1', parameters: 'state=state-1' },
      { type: 'webpop.oauth.return', state: 'state-1', parameters: 42 },
      { type: 'webpop.oauth.return', state: '', parameters: 'code=c&state=' },
      {
        type: 'webpop.oauth.return',
        state: 'state-1',
        parameters: `code=${'c'.repeat(20_000)}&state=state-1`,
      },
    ];
    for (const stray of strays) {
      expect(parseReturnMessage(stray)).toBeUndefined();
      sender.postMessage(stray);
    }
    await tick(50);
    expect(settled).toBe(false);
    expect(opener.waiting).toBe(1);
  });

  it('takes a postMessage only from its own origin, and answers the claim to its source', async () => {
    const { hub: opener, page } = hub();
    const taken = opener.expect('state-1', never());
    const message = { type: 'webpop.oauth.return', state: 'state-1', parameters: 'code=c&state=state-1' };
    const replies: Array<[unknown, string]> = [];
    const source = { postMessage: (data: unknown, origin: string) => void replies.push([data, origin]) };
    page.dispatchEvent(
      new MessageEvent('message', { data: message, origin: 'https://evil.example.test', source: null }),
    );
    await tick();
    expect(opener.waiting).toBe(1);
    expect(replies).toEqual([]);
    const event = new MessageEvent('message', { data: message, origin: ORIGIN });
    Object.defineProperty(event, 'source', { value: source });
    page.dispatchEvent(event);
    expect((await taken).get('code')).toBe('c');
    expect(replies).toEqual([[{ type: 'webpop.oauth.claimed', state: 'state-1' }, ORIGIN]]);
  });

  it('two sign-ins at once each get their own return, and a second copy of one is ignored', async () => {
    const { hub: opener } = hub();
    const first = opener.expect('state-a', never());
    const second = opener.expect('state-b', never());
    expect(opener.waiting).toBe(2);
    const claims = [popup({ code: 'code-b', state: 'state-b' }), popup({ code: 'code-a', state: 'state-a' })];
    expect((await first).get('code')).toBe('code-a');
    expect((await second).get('code')).toBe('code-b');
    expect(await Promise.all(claims)).toEqual([true, true]);
    // Both ways, or a copy from another tab: nobody waits for it any more.
    expect(await popup({ code: 'code-a', state: 'state-a' })).toBe(false);
    expect(() => opener.expect('state-c', never())).not.toThrow();
  });

  it('a second waiter for a state already awaited is refused; a cancelled one lets its return go unclaimed', async () => {
    const { hub: opener } = hub();
    const controller = new AbortController();
    const taken = opener.expect('state-1', controller.signal);
    await expect(opener.expect('state-1', never())).rejects.toThrow('already awaited');
    controller.abort();
    await expect(taken).rejects.toMatchObject({ name: 'AbortError' });
    expect(opener.waiting).toBe(0);
    expect(await popup({ code: 'late', state: 'state-1' })).toBe(false);
  });

  it('the popup also tells its opener by postMessage, to its own origin only, when it still has one', async () => {
    const posted: Array<[unknown, string]> = [];
    const popupPage = new EventTarget();
    const done = handOver(
      {
        origin: ORIGIN,
        channel: channel(),
        opener: { postMessage: (data, origin) => void posted.push([data, origin]) },
        window: popupPage as unknown as Window,
        timeoutMs: 1000,
      },
      new URLSearchParams({ code: 'c', state: 'state-1' }),
    );
    expect(posted).toEqual([
      [{ type: 'webpop.oauth.return', state: 'state-1', parameters: 'code=c&state=state-1' }, ORIGIN],
    ]);
    // A claim from another origin is not the opener's.
    popupPage.dispatchEvent(
      new MessageEvent('message', {
        data: { type: 'webpop.oauth.claimed', state: 'state-1' },
        origin: 'https://evil.example.test',
      }),
    );
    popupPage.dispatchEvent(
      new MessageEvent('message', {
        data: { type: 'webpop.oauth.claimed', state: 'state-1' },
        origin: ORIGIN,
      }),
    );
    expect(await done).toBe(true);
  });
});
