// The servers behind the browser: one real Dovecot with a user per scenario, one real bridge serving the
// built web app, and a loopback web server that records every request (remote content must not reach
// it unasked). Started once per worker (the suite runs one worker), stopped when it ends.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { startBridge, type RunningBridge } from '@webpop/bridge';
import { demoAccount, freeLoopbackPort, startDovecot, type RunningDovecot } from '@webpop/testkit';
import { builtApp } from '../global-setup.js';
import * as messages from './messages.js';

const userNames = [
  'reader',
  'deleter',
  'undoer',
  'dropper',
  'refresher',
  'returning',
  'keyboard',
  'logger',
  'typist',
  'locker',
  'sharer',
  'phone',
  'linguist',
  'thousand',
  'big',
  'keeper',
  'cutter',
  'filler',
  'trasher',
  'ager',
  'closer',
  'retrcutter',
  'exporter',
  'searcher',
  'sucher',
  'selector',
  'threader',
  'handler',
  'notified',
  'first',
  'second',
  'allfirst',
  'allsecond',
  'toolbar',
] as const;
type UserName = (typeof userNames)[number];
export interface User {
  readonly username: string;
  readonly password: string;
}

export interface Servers {
  /** The bridge's http://127.0.0.1:port, serving the web app. */
  readonly url: string;
  readonly bridge: RunningBridge;
  readonly dovecot: RunningDovecot;
  /** Fresh random passwords every run. */
  readonly users: Readonly<Record<UserName, User>>;
  /** The recording web server's origin. */
  readonly webOrigin: string;
  /** Paths the recording web server was asked for so far. */
  readonly webHits: readonly string[];
  /** Stops everything. */
  stop(): Promise<void>;
}

async function startRecordingWebServer(): Promise<{
  origin: string;
  hits: string[];
  close(): Promise<void>;
}> {
  const hits: string[] = [];
  const server = http.createServer((req, res) => {
    hits.push(req.url ?? '');
    res.setHeader('content-type', 'image/png');
    res.end(messages.onePixelPng);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    hits,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export async function startServers(): Promise<Servers> {
  if (!existsSync(path.join(builtApp, 'index.html'))) {
    throw new Error(
      'the web app is not built: run the suite through playwright.config.ts (its globalSetup builds it)',
    );
  }
  const users = Object.fromEntries(
    userNames.map((name) => [name, { username: name, password: randomBytes(9).toString('base64url') }]),
  ) as Record<UserName, User>;
  const web = await startRecordingWebServer();
  const demo = await demoAccount();
  const stops: Array<() => Promise<void>> = [() => web.close()];
  const stop = async () => {
    for (const step of stops.reverse()) await step().catch(() => {});
  };
  try {
    const dovecot = await startDovecot({
      users: Object.values(users),
      messages: {
        // The corpus and the demo's hand-built messages, then the suite's own.
        reader: [
          ...demo.messages,
          messages.plain.bytes,
          messages.html.bytes,
          messages.attachments.bytes,
          messages.cidImage.bytes,
          ...messages.encoded.map(({ bytes }) => bytes),
          messages.hostile(web.origin).bytes,
        ],
        deleter: [messages.simple('Keep me one', 2), messages.simple('Delete me for good', 3)],
        undoer: [messages.simple('Keep me two', 4), messages.simple('Undo my deletion', 5)],
        dropper: [messages.simple('Keep me three', 6), messages.simple('Deleted, then dropped', 7)],
        refresher: [messages.simple('Already here', 8)],
        returning: [messages.simple('Seen before one', 9), messages.simple('Seen before two', 10)],
        keyboard: [
          messages.simple('Keys first', 11),
          messages.simple('Keys second', 12),
          messages.simple('Keys third', 13),
        ],
        logger: [messages.plain.bytes],
        typist: [messages.simple('Typed first', 15), messages.simple('Typed second', 16)],
        phone: [messages.plain.bytes, messages.html.bytes, ...messages.encoded.map(({ bytes }) => bytes)],
        linguist: [messages.plain.bytes, ...messages.encoded.map(({ bytes }) => bytes)],
        thousand: messages.thousand(),
        big: [messages.simple('Small neighbour', 14), messages.big()],
        keeper: [messages.simple('Keep here one', 15), messages.simple('Keep here two', 16)],
        cutter: [messages.simple('Cut one', 17), messages.simple('Cut two', 18)],
        filler: [messages.simple('Full one', 19), messages.simple('Full two', 20)],
        trasher: [messages.simple('Trash me', 21), messages.simple('Keep me here', 22)],
        ager: [messages.simple('Aged one', 23), messages.simple('Aged two', 24)],
        closer: messages.closing(),
        retrcutter: [messages.simple('Retrieved one', 19), messages.simple('Retrieved two', 20)],
        exporter: [
          messages.simple('Archived one', 21),
          messages.simple('From the Inbox', 22),
          messages.simple('Archived two', 23),
        ],
        searcher: [
          messages.plain.bytes,
          messages.html.bytes,
          messages.attachments.bytes,
          messages.simple('Search neighbour', 25),
        ],
        sucher: [
          messages.german.invoice.bytes,
          messages.german.trip.bytes,
          messages.plain.bytes,
          messages.attachments.bytes,
        ],
        selector: [
          messages.simple('Bulk one', 10),
          messages.simple('Bulk two', 11),
          messages.simple('Bulk three', 12),
          messages.simple('Bulk keep', 13),
        ],
        handler: [messages.handling.letter, messages.handling.previews],
        threader: [...messages.conversation.start],
        first: [messages.simple('First account one', 10), messages.simple('First account two', 12)],
        second: [messages.simple('Second account one', 11), messages.simple('Second account two', 13)],
        // All inboxes' selection, keys and conversations: a thread that reached both accounts.
        allfirst: [
          messages.conversation.start[0]!,
          messages.simple('Unified A one', 10),
          messages.simple('Unified A two', 12),
        ],
        toolbar: [messages.simple('Toolbar row', 14)],
        allsecond: [
          messages.conversation.reply,
          messages.simple('Unified B one', 11),
          messages.simple('Unified B two', 13),
        ],
        locker: [messages.simple('Behind the lock', 22)],
        sharer: [messages.simple('Read on a shared computer', 23)],
        notified: [messages.simple('Waiting for news', 24)],
      },
      // Puts user names into the pop3 processes' titles, so a test can find and kill one session.
      extraConfig: 'verbose_proctitle = yes',
    });
    stops.push(() => dovecot.stop());
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'webpop-e2e-'));
    stops.push(async () => rmSync(tmp, { recursive: true, force: true }));
    const caFile = path.join(tmp, 'ca.pem');
    writeFileSync(caFile, dovecot.caPem);
    const { host, pop3Port, pop3sPort } = dovecot;
    const bridge = await startBridge(
      {
        listen: { host: '127.0.0.1', port: 0 },
        servers: [
          { id: 'plain', label: 'Dovecot (no TLS)', host, port: pop3Port, security: 'none' },
          { id: 'pop3s', label: 'Dovecot (TLS)', host, port: pop3sPort, security: 'tls', ca: caFile },
          { id: 'stls', label: 'Dovecot (STLS)', host, port: pop3Port, security: 'starttls', ca: caFile },
          { id: 'refused', label: 'Nobody listening', host, port: await freeLoopbackPort(), security: 'tls' },
        ],
        // So the sign-in page offers "Other server…", where the bridge's address policy can say no.
        allowAnyTarget: true,
        staticDir: builtApp,
        limits: { connectionsPerIpPerMinute: 10_000, connectionsPerIp: 200 },
        shutdownSeconds: 1,
      },
      { log: () => {} },
    );
    stops.push(() => bridge.close());
    return {
      url: bridge.url,
      bridge,
      dovecot,
      users,
      webOrigin: web.origin,
      get webHits() {
        return [...web.hits];
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
