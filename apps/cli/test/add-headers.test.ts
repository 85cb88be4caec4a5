import { createHash } from 'node:crypto';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { splitMbox } from '@webpop/mailfile';
import type { RunningPop3Server } from '@webpop/testkit';
import { isTracePrefix, traceHeaders } from '../src/deliver/trace-headers.js';
import { fileNameForUid, version } from '../src/index.js';
import {
  commandsSince,
  PASSWORD,
  serverArgs,
  serverPerTest,
  stateHome,
  webpop,
  withTempDir,
} from './helpers.js';
import { standardMailbox } from './messages.js';

const start = serverPerTest({
  accounts: [{ username: 'alice', password: PASSWORD, messages: standardMailbox() }],
});

function statePath(pop3: RunningPop3Server): string {
  return join(stateHome(), 'webpop', 'fetch', `alice%40${pop3.host}%3A${pop3.port}.jsonl`);
}

/** The lines --add-headers puts before a message fetched for alice from `host`. */
function tracePattern(host: string): RegExp {
  const lineEnd = '\r\n';
  const h = host.replace(/\./g, '\\.');
  const v = version().replace(/\./g, '\\.');
  return new RegExp(
    `^Delivered-To: alice@${h}${lineEnd}Received: from ${h} by \\S+ with POP3 \\(webpop ${v}\\)${lineEnd}` +
      `\\tfor <alice@${h}>; \\w{3}, \\d\\d \\w{3} \\d{4} \\d\\d:\\d\\d:\\d\\d \\+0000${lineEnd}$`,
  );
}

describe('webpop fetch --add-headers', () => {
  it('puts Delivered-To and Received before each message; the records prove the files for --delete', async () => {
    const pop3 = await start();
    const stored = [...pop3.accounts.get('alice')!.messages];
    await withTempDir(async (dir) => {
      const first = await webpop(['fetch', ...serverArgs(pop3), '--out', dir, '--add-headers']);
      expect(first.code).toBe(0);
      const records = (await readFile(statePath(pop3), 'utf8'))
        .trimEnd()
        .split('\n')
        .map((line) => JSON.parse(line) as Record<string, unknown>);
      for (const [index, message] of stored.entries()) {
        const file = await readFile(join(dir, fileNameForUid(message.uid)));
        const prefix = file.subarray(0, file.length - message.bytes.length);
        expect(file.subarray(prefix.length).equals(Buffer.from(message.bytes))).toBe(true);
        expect(prefix.toString('utf8')).toMatch(tracePattern(pop3.host));
        expect(records[index]).toMatchObject({
          uid: message.uid,
          size: message.bytes.length,
          savedSize: file.length,
          sha256: createHash('sha256').update(file).digest('hex'),
        });
      }
      const parsed = await simpleParser(await readFile(join(dir, fileNameForUid(stored[0]!.uid))));
      expect(parsed.headers.get('delivered-to')).toMatchObject({ text: `alice@${pop3.host}` });

      const mark = pop3.commandLog.length;
      const second = await webpop(['fetch', ...serverArgs(pop3), '--out', dir, '--delete', '--json']);
      expect(JSON.parse(second.stdout)).toMatchObject({ saved: 0, skipped: 6, deleted: 6, failed: 0 });
      expect(commandsSince(pop3, mark).some((command) => command.startsWith('RETR'))).toBe(false);
      expect(pop3.accounts.get('alice')!.messages).toEqual([]);
    });
  });

  it('without records, a file is deleted only when it is the trace lines and then the exact message', async () => {
    const pop3 = await start();
    const stored = [...pop3.accounts.get('alice')!.messages];
    await withTempDir(async (dir) => {
      expect((await webpop(['fetch', ...serverArgs(pop3), '--out', dir, '--add-headers'])).code).toBe(0);
      await rm(statePath(pop3));
      const other = join(dir, fileNameForUid(stored[2]!.uid));
      await writeFile(other, Buffer.concat([Buffer.from('X-Other: 1\r\n'), Buffer.from(stored[2]!.bytes)]));

      const result = await webpop(['fetch', ...serverArgs(pop3), '--out', dir, '--delete', '--json']);
      expect(result.code).toBe(1);
      const summary = JSON.parse(result.stdout);
      expect(summary).toMatchObject({ saved: 0, skipped: 6, deleted: 5, failed: 1 });
      expect(summary.failures[0]).toMatchObject({ number: 3, uid: stored[2]!.uid });
      expect(pop3.accounts.get('alice')!.messages.map((m) => m.uid)).toEqual([stored[2]!.uid]);
    });
  });

  it('--mbox: the trace lines head each message read back from the mbox, as received', async () => {
    const pop3 = await start();
    const stored = [...pop3.accounts.get('alice')!.messages];
    await withTempDir(async (dir) => {
      const mbox = join(dir, 'inbox');
      expect((await webpop(['fetch', ...serverArgs(pop3), '--mbox', mbox, '--add-headers'])).code).toBe(0);
      const read = [...splitMbox(await readFile(mbox))];
      expect(read).toHaveLength(stored.length);
      for (const [index, message] of read.entries()) {
        const bytes = Buffer.from(message.bytes);
        const original = Buffer.from(stored[index]!.bytes);
        expect(bytes.subarray(bytes.length - original.length).equals(original)).toBe(true);
        expect(bytes.subarray(0, bytes.length - original.length).toString('utf8')).toMatch(
          tracePattern(pop3.host),
        );
      }
    });
  });

  it('names with line breaks cannot add a header; only trace fields count as a prefix', () => {
    const lines = traceHeaders(
      {
        user: 'alice\r\nBcc: eve@example.org',
        host: 'pop.example.org\n',
        agent: 'webpop 1',
        localHost: 'here',
      },
      new Date(Date.UTC(2026, 11, 1, 19, 30, 0)),
    ).toString('utf8');
    expect(lines).toBe(
      'Delivered-To: alice??Bcc: eve@example.org\r\n' +
        'Received: from pop.example.org? by here with POP3 (webpop 1)\r\n' +
        '\tfor <alice??Bcc: eve@example.org>; Tue, 01 Dec 2026 19:30:00 +0000\r\n',
    );
    expect(isTracePrefix(Buffer.from(lines))).toBe(true);
    expect(isTracePrefix(Buffer.from('Subject: x\r\n'))).toBe(false);
    expect(isTracePrefix(Buffer.from('Received: x\r\n\r\n'))).toBe(false);
    expect(isTracePrefix(Buffer.from(''))).toBe(false);
  });
});
