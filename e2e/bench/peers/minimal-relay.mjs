// The physical limit of a Node relay (issue 21): `ws` piped to `net`, nothing else — no policy, no
// limits, no control frames, no logs. Plain JavaScript, run by `node` as the built bridge is. Prints
// {"port":N} once listening. Usage: node minimal-relay.mjs <target-host> <target-port>
import { connect } from 'node:net';
import { pipeline } from 'node:stream';
import { createWebSocketStream, WebSocketServer } from 'ws';

const [host, port] = [process.argv[2], Number(process.argv[3])];
const server = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false });
server.on('connection', (socket) => {
  const tcp = connect(port, host);
  const ws = createWebSocketStream(socket);
  pipeline(ws, tcp, ws, () => socket.terminate());
});
server.on('listening', () => process.stdout.write(`${JSON.stringify({ port: server.address().port })}\n`));
