// A minimal SMTP sink in a process of its own, for CPU profiles of a sender (e2e/bench/profile/smtp-send.ts):
// plain TCP, no TLS, no AUTH; EHLO offers PIPELINING, 8BITMIME and SIZE; every MAIL, RCPT and message
// is taken; the message is read only to find its terminator, so the receiving side costs next to nothing.
// Prints {"port":N} once it listens; serves until killed.
import { Buffer } from 'node:buffer';
import net from 'node:net';

const TERMINATOR = Buffer.from('\r\n.\r\n');

const server = net.createServer((socket) => {
  let inData = false;
  let pending = Buffer.alloc(0);
  let tail = Buffer.alloc(0);
  const reply = (text) => socket.write(`${text}\r\n`);
  const onLine = (line) => {
    const verb = line.slice(0, 4).toUpperCase();
    if (verb === 'EHLO') reply('250-sink\r\n250-PIPELINING\r\n250-8BITMIME\r\n250 SIZE 0');
    else if (verb === 'DATA') {
      reply('354 go on');
      inData = true;
      tail = Buffer.from('\r\n');
    } else if (verb === 'QUIT') {
      reply('221 bye');
      socket.end();
    } else reply('250 ok');
  };
  const onCommands = (chunk) => {
    pending = Buffer.concat([pending, chunk]);
    let end;
    while (!inData && (end = pending.indexOf('\r\n')) >= 0) {
      const line = pending.subarray(0, end).toString('latin1');
      pending = pending.subarray(end + 2);
      onLine(line);
    }
    if (inData && pending.length > 0) {
      const rest = pending;
      pending = Buffer.alloc(0);
      onMessage(rest);
    }
  };
  const onMessage = (chunk) => {
    const joined = Buffer.concat([tail, chunk.subarray(0, TERMINATOR.length)]);
    let at = joined.indexOf(TERMINATOR);
    let after;
    if (at >= 0) after = chunk.subarray(at + TERMINATOR.length - tail.length);
    else {
      at = chunk.indexOf(TERMINATOR);
      if (at >= 0) after = chunk.subarray(at + TERMINATOR.length);
    }
    if (after === undefined) {
      tail = Buffer.from(Buffer.concat([tail, chunk]).subarray(-(TERMINATOR.length - 1)));
      return;
    }
    inData = false;
    reply('250 2.0.0 queued');
    if (after.length > 0) onCommands(after);
  };
  socket.on('data', (chunk) => (inData ? onMessage(chunk) : onCommands(chunk)));
  socket.on('error', () => socket.destroy());
  reply('220 sink ESMTP');
});
server.listen(0, '127.0.0.1', () =>
  process.stdout.write(`${JSON.stringify({ port: server.address().port })}\n`),
);
