// Property-based tests (fast-check) of the bridge's control-frame handling: the parser on its own with
// any text, and a live bridge on loopback fed any sequence of text and binary frames in any order.
// Runs: fuzzRuns() (fixed in CI; `pnpm fuzz` for long runs).
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { fuzzRuns, startPop3Server, type RunningPop3Server } from '@webpop/testkit';
import { parseClientFrame } from '@webpop/wire';
import { startTestBridge, stopAll, type TestBridge } from './support/bridge.js';
import { RelayClient } from './support/relay-client.js';

const CONNECT = '{"type":"connect","server":"demo"}';

/** Text that is often almost a control frame: real frames, their fields mangled, and any JSON or text. */
const frameText = fc.oneof(
  fc.constantFrom(
    CONNECT,
    '{"type":"connect","server":"nope"}',
    '{"type":"starttls"}',
    '{"type":"connect","host":"127.0.0.1","port":110,"security":"none"}',
    '{"type":"connect","server":"demo","host":"x"}',
    '{"type":"connected"}',
    '{"type":"__proto__"}',
    '{"__proto__":{"type":"connect"}}',
    'null',
    '[]',
    '',
  ),
  fc
    .record(
      {
        type: fc.constantFrom('connect', 'starttls', 'error', 'tls', 'x'),
        server: fc.oneof(fc.string(), fc.integer(), fc.constant(null)),
        host: fc.oneof(fc.string(), fc.constant('127.0.0.1'), fc.constant('::1'), fc.integer()),
        port: fc.oneof(fc.integer(), fc.double(), fc.string()),
        security: fc.oneof(fc.constantFrom('none', 'tls', 'starttls'), fc.string()),
      },
      { requiredKeys: [] },
    )
    .map((frame) => JSON.stringify(frame)),
  fc.json(),
  fc.string({ maxLength: 1100 }),
  fc.string({ unit: 'binary', maxLength: 64 }),
);

/** `rawText`: a text frame of any bytes, often not UTF-8 (a browser cannot send one; a stranger can). */
type Frame = { text: string } | { binary: Uint8Array } | { rawText: Uint8Array };
const frame: fc.Arbitrary<Frame> = fc.oneof(
  frameText.map((text) => ({ text })),
  fc.uint8Array({ maxLength: 256 }).map((binary) => ({ binary })),
  fc.constant({ binary: new TextEncoder().encode('NOOP\r\n') }),
  fc.uint8Array({ maxLength: 64 }).map((rawText) => ({ rawText })),
);
/** Half the sequences start as a real browser does, so the frames after it meet a live relay. */
const sequence = fc
  .tuple(fc.boolean(), fc.array(frame, { minLength: 1, maxLength: 8 }))
  .map(([connectFirst, frames]) => (connectFirst ? [{ text: CONNECT }, ...frames] : frames));

describe('parseClientFrame (any text)', () => {
  it('returns a frame or a fixed description, never throws and never quotes the input', () => {
    const descriptions = new Set<string>();
    fc.assert(
      fc.property(frameText, (text) => {
        const parsed = parseClientFrame(text);
        if ('invalid' in parsed) {
          descriptions.add(parsed.invalid);
        } else if (parsed.type === 'connect') {
          const target = parsed.target;
          if ('server' in target) expect(typeof target.server).toBe('string');
          else {
            expect(Number.isInteger(target.port) && target.port >= 1 && target.port <= 65535).toBe(true);
            expect(['none', 'tls', 'starttls']).toContain(target.security);
          }
        }
      }),
      { numRuns: fuzzRuns(2000) },
    );
    // The descriptions are a fixed set of sentences: none carries the frame's text.
    expect(descriptions.size).toBeLessThanOrEqual(12);
  });
});

describe('a live bridge fed any sequence of frames (loopback)', () => {
  let pop3: RunningPop3Server;
  let bridge: TestBridge;

  beforeAll(async () => {
    pop3 = await startPop3Server({ accounts: [{ username: 'alice', password: 'fuzz', messages: [] }] });
    bridge = await startTestBridge({
      servers: [{ id: 'demo', host: '127.0.0.1', port: pop3.port, security: 'none' }],
      limits: { connectionsPerIpPerMinute: 1_000_000, connectSeconds: 5, maxFrameBytes: 1024 },
    });
  });

  afterAll(async () => {
    await stopAll();
    await pop3?.close();
  });

  /** Sends the frames; returns what came back and how it closed (or null: still open, then closed by us). */
  async function play(frames: Frame[]) {
    const ws = new WebSocket(bridge.relayUrl, { origin: bridge.url });
    const controls: Array<Record<string, unknown>> = [];
    const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
    ws.on('error', () => undefined);
    let answered: () => void = () => undefined;
    ws.on('message', (data: Buffer, isBinary) => {
      if (!isBinary) controls.push(JSON.parse(data.toString('utf8')) as Record<string, unknown>);
      answered();
    });
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    for (const f of frames) {
      if (ws.readyState !== ws.OPEN) break;
      if ('text' in f) ws.send(f.text);
      else if ('rawText' in f) ws.send(f.rawText, { binary: false });
      else ws.send(f.binary, { binary: true });
      if ('text' in f && f.text === CONNECT && controls.length === 0) {
        // As a browser does: wait for the answer to connect (connected, or an error and the close).
        await Promise.race([closed, new Promise<void>((resolve) => (answered = resolve))]);
      }
    }
    // Give the bridge a moment to answer, then end it ourselves if it is still open.
    const code = await Promise.race([closed, new Promise<null>((r) => setTimeout(() => r(null), 30))]);
    if (code === null) ws.close(1000);
    return { controls, code: code ?? (await closed) };
  }

  it('answers with protocol_error or closes cleanly, never crashes, and keeps serving', async () => {
    const allowedErrors = new Set(['protocol_error', 'target_denied', 'upstream_closed']);
    // A legitimate session open all along must be unaffected.
    const { client: bystander } = await RelayClient.connect(bridge.relayUrl, { server: 'demo' });
    expect(await bystander.line()).toMatch(/^\+OK/);
    let relayed = 0;
    await fc.assert(
      fc.asyncProperty(sequence, async (frames) => {
        const { controls, code } = await play(frames);
        if (controls[0]?.type === 'connected') relayed++;
        for (const control of controls) {
          expect(['connected', 'error']).toContain(control.type);
          if (control.type === 'error') expect(allowedErrors).toContain(control.code);
        }
        expect([1000, 1005, 1007, 1009, 4001, 4003, 4502]).toContain(code);
        if (controls.some((c) => c.type === 'error')) expect([4001, 4003, 4502]).toContain(code);
      }),
      { numRuns: fuzzRuns(40, { cost: 50 }) },
    );
    expect(relayed).toBeGreaterThan(0);
    bystander.command('USER alice');
    expect(await bystander.line()).toMatch(/^\+OK/);
    bystander.close();
    // Every relay ended, and a new session works too.
    await expect.poll(() => bridge.openSessions, { timeout: 5000 }).toBe(0);
    const { client } = await RelayClient.connect(bridge.relayUrl, { server: 'demo' });
    expect(await client.line()).toMatch(/^\+OK/);
    client.command('QUIT');
    expect(await client.line()).toMatch(/^\+OK/);
    expect((await client.closed).code).toBe(1000);
  });
});
