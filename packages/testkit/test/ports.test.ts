import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { freeLoopbackPort, waitForPort } from '../src/index.js';

describe('loopback ports', () => {
  it('a free port accepts nothing until a server listens; then waitForPort resolves', async () => {
    const port = await freeLoopbackPort();
    await expect(waitForPort(port, { timeoutMs: 200, what: 'the test server' })).rejects.toThrow(
      'the test server did not listen within 200 ms',
    );
    const server = net.createServer();
    const waiting = waitForPort(port, { timeoutMs: 5_000 });
    setTimeout(() => server.listen(port, '127.0.0.1'), 100);
    await expect(waiting).resolves.toBeUndefined();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('stops waiting as soon as the process that should listen is gone', async () => {
    const port = await freeLoopbackPort();
    const exited = new Promise<void>((resolve) => setTimeout(resolve, 50));
    // Not its timeout's message: it gave up because the process was gone.
    await expect(waitForPort(port, { giveUpWhen: exited, what: 'websockify' })).rejects.toThrow(
      'websockify stopped before it listened',
    );
  });
});
