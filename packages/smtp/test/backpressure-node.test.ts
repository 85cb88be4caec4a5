// Backpressure over real sockets: a server that stops reading mid-message holds the source back (the
// engine pulls no more than the link's buffers take) and the data-block timeout ends the send.
import { describe, expect, it } from 'vitest';
import { largeSource, smtpServers } from './support/servers.js';

const servers = smtpServers();
const MiB = 1024 * 1024;

describe('backpressure over a real socket', () => {
  it('a server that stops reading mid-DATA: the source is held back, the data-block timeout closes', async () => {
    const server = await servers.start({ faults: { stallMidData: { afterBytes: 64 * 1024 } } });
    const client = await servers.connect(server, { timeouts: { dataBlock: 500 } });
    const source = largeSource(64);
    const outcome = await client
      .send({ from: 'alice@example.org', to: ['bob@example.org'] }, source, { size: 64 * MiB })
      .catch((error: unknown) => error);
    expect(outcome).toMatchObject({ kind: 'timeout', command: 'DATA block', timeoutMs: 500 });
    expect(client.state).toBe('closed');
    // Loopback's socket buffers take about 4 MiB (measured); without backpressure all 64 MiB were queued at once.
    expect(source.pulledBytes).toBeLessThan(16 * MiB);
    expect(server.messages).toHaveLength(0);
  });

  it('a server that reads: 16 MiB streamed through the same waits arrive whole', async () => {
    const server = await servers.start();
    const client = await servers.connect(server);
    const source = largeSource(16);
    const result = await client.send({ from: 'alice@example.org', to: ['bob@example.org'] }, source, {
      size: 16 * MiB,
    });
    await client.quit();
    expect(result.code).toBe(250);
    expect(source.pulledBytes).toBeGreaterThan(16 * MiB - 1024);
    expect(server.messages[0]!.data.length).toBe(source.pulledBytes);
  });
});
