import { describe, expect, it } from 'vitest';
import { type Pop3Features } from '@webpop/testkit';
import { PASSWORD, serverArgs, serverPerTest, webpop } from './helpers.js';
import { standardMailbox, subjects } from './messages.js';

const startServer = serverPerTest({
  accounts: [{ username: 'alice', password: PASSWORD, messages: standardMailbox() }],
});
const start = (features?: Pop3Features) => startServer({ features });

describe('webpop list', () => {
  it('prints one tab-separated line per message with decoded koi8-r, ISO-8859-15 and windows-1251 headers', async () => {
    const pop3 = await start();
    const result = await webpop(['list', ...serverArgs(pop3)]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(6);
    const stored = pop3.accounts.get('alice')!.messages;
    const first = lines[0]!.split('\t');
    expect(first[0]).toBe('1');
    expect(first[1]).toBe(stored[0]!.uid);
    expect(first[2]).toBe(String(stored[0]!.bytes.length));
    expect(first[3]).toMatch(/^2025-11-14 \d\d:\d\d$/);
    expect(first[4]).toBe('Иван Петров <ivan@example.ru>');
    expect(first[5]).toBe(subjects.koi8r);
    expect(lines[1]!.split('\t').slice(4)).toEqual(['Müller & Söhne <rechnung@example.de>', subjects.latin9]);
    expect(lines[2]!.split('\t')[5]).toBe(subjects.cp1251);
    expect(lines[4]!.split('\t')[5]).toBe('Quarterly report – Q3');
    // Headers only: pipelined TOP n 0, never RETR.
    const commands = pop3.commandLog.map((entry) => entry.command);
    expect(commands.filter((command) => command.startsWith('TOP'))).toEqual([
      'TOP 1 0',
      'TOP 2 0',
      'TOP 3 0',
      'TOP 4 0',
      'TOP 5 0',
      'TOP 6 0',
    ]);
    expect(commands.some((command) => command.startsWith('RETR'))).toBe(false);
  });

  it('aligns columns on a terminal', async () => {
    const pop3 = await start();
    const result = await webpop(['list', ...serverArgs(pop3)], { isTTY: true, columns: 200 });
    expect(result.code).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^# {2}UIDL +SIZE {2}DATE +FROM +SUBJECT$/);
    const subjectColumn = lines[0]!.indexOf('SUBJECT');
    expect(lines[1]!.slice(subjectColumn)).toBe(subjects.koi8r);
    expect(lines[1]).toContain('Иван Петров  ');
    expect(lines[2]!.slice(subjectColumn)).toBe(subjects.latin9);
    expect(lines[1]!.indexOf('2025-11-14')).toBe(lines[0]!.indexOf('DATE'));
  });

  it('cuts lines to the terminal width', async () => {
    const pop3 = await start();
    const result = await webpop(['list', ...serverArgs(pop3)], { isTTY: true, columns: 60 });
    for (const line of result.stdout.trimEnd().split('\n')) expect([...line].length).toBeLessThanOrEqual(60);
  });

  it('--json gives an array of objects', async () => {
    const pop3 = await start();
    const result = await webpop(['list', ...serverArgs(pop3), '--json']);
    expect(result.code).toBe(0);
    const entries = JSON.parse(result.stdout) as Array<Record<string, unknown>>;
    expect(entries).toHaveLength(6);
    expect(entries[0]).toEqual({
      number: 1,
      uid: pop3.accounts.get('alice')!.messages[0]!.uid,
      size: pop3.accounts.get('alice')!.messages[0]!.bytes.length,
      date: '2025-11-14T08:23:05.000Z',
      from: 'Иван Петров <ivan@example.ru>',
      subject: subjects.koi8r,
    });
    expect(entries[1]).toMatchObject({ subject: subjects.latin9, date: '2025-11-12T15:45:12.000Z' });
  });

  it('says on stderr what the server lacks (no UIDL, no TOP) and still lists', async () => {
    const pop3 = await start({ uidl: false, top: false });
    const result = await webpop(['list', ...serverArgs(pop3), '--json']);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('note: The server has no UIDL');
    expect(result.stderr).toContain('note: The server has no TOP');
    const entries = JSON.parse(result.stdout) as Array<{ uid: string | null; subject: string }>;
    expect(entries[0]).toMatchObject({ uid: null, subject: subjects.koi8r });
  });

  it('prints nothing for an empty mailbox, and "No messages." on a terminal', async () => {
    const server = await startServer({ accounts: [{ username: 'alice', password: PASSWORD, messages: [] }] });
    expect((await webpop(['list', ...serverArgs(server)])).stdout).toBe('');
    expect((await webpop(['list', ...serverArgs(server)], { isTTY: true })).stdout).toBe('No messages.\n');
    expect(JSON.parse((await webpop(['list', ...serverArgs(server), '--json'])).stdout)).toEqual([]);
  });
});

describe('webpop stat', () => {
  it('prints the count and total size', async () => {
    const pop3 = await start();
    const total = pop3.accounts
      .get('alice')!
      .messages.reduce((sum, message) => sum + message.bytes.length, 0);
    const text = await webpop(['stat', ...serverArgs(pop3)]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(new RegExp(`^6 messages, ${total} bytes \\(`));
    const json = await webpop(['stat', ...serverArgs(pop3), '--json']);
    expect(JSON.parse(json.stdout)).toEqual({ count: 6, size: total });
  });
});
