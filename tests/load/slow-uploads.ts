/**
 * `node tests/load/slow-uploads.ts`: the production server's resident memory while 200 clients
 * upload slowly to the token endpoint at once (issue 16, item 1), half declaring a large
 * Content-Length, half sending chunked bodies without one. Loopback only, on a free port, about
 * 15 s. Prints the server's RSS before, at the peak, and after the clients are gone.
 */
import { readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { startProductionServer } from '../support/production-server.ts';

const clients = 200;
const chunk = Buffer.alloc(32 * 1024, 'a');

function rssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)![1]) / 1024;
}

const server = await startProductionServer({ SANDBOX_RATE_LIMIT: 'off' });
const { hostname, port } = new URL(server.origin);
const pid = server.process.pid!;
await new Promise((resolve) => setTimeout(resolve, 1000));
const before = rssMiB(pid);

const sockets: Socket[] = [];
let refused = 0;
for (let i = 0; i < clients; i++) {
  const socket = connect(Number(port), hostname);
  socket.on('error', () => {});
  socket.on('data', (data) => {
    if (/^HTTP\/1\.1 4\d\d/.test(data.toString('latin1'))) refused++;
  });
  const chunked = i % 2 === 1;
  socket.write(
    `POST /oauth/token HTTP/1.1\r\nHost: ${hostname}:${port}\r\nContent-Type: application/x-www-form-urlencoded\r\n` +
      (chunked ? 'Transfer-Encoding: chunked\r\n\r\n' : `Content-Length: ${1000 * 1024}\r\n\r\n`),
  );
  sockets.push(socket);
}
// Each client sends 32 KiB every 200 ms, up to 960 KiB: under the old 1 MiB bridge limit.
let peak = before;
for (let round = 0; round < 30; round++) {
  for (const [i, socket] of sockets.entries()) {
    if (socket.destroyed || !socket.writable) continue;
    socket.write(
      i % 2 === 1
        ? Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n')])
        : chunk,
    );
  }
  await new Promise((resolve) => setTimeout(resolve, 200));
  peak = Math.max(peak, rssMiB(pid));
}
const open = sockets.filter((socket) => !socket.destroyed && socket.writable).length;
for (const socket of sockets) socket.destroy();
await new Promise((resolve) => setTimeout(resolve, 1000));
const after = rssMiB(pid);
await server.stop();
console.log(
  JSON.stringify({
    clients,
    rss_mib: { before: Math.round(before), peak: Math.round(peak), after: Math.round(after) },
    growth_mib: Math.round(peak - before),
    refused_with_4xx: refused,
    still_open_at_end: open,
  }),
);
