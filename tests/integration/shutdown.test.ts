import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { startProductionServer } from '../support/production-server.ts';

describe('SIGTERM after static pages', () => {
  it('closes idle keep-alive connections and exits because the work is done, not by the safety timer', async () => {
    const server = await startProductionServer();
    const { hostname, port } = new URL(server.origin);
    try {
      // A browser-like client: static pages on one keep-alive connection, then idle.
      const socket = connect(Number(port), hostname);
      socket.on('error', () => {});
      let received = '';
      const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
      socket.on('data', (data) => (received += data.toString('latin1')));
      for (const path of ['/', '/_astro/does-not-exist.css'])
        socket.write(`GET ${path} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nAccept-Encoding: br\r\n\r\n`);
      await expect.poll(() => received.match(/HTTP\/1\.1 \d{3} /g)?.length ?? 0, { timeout: 30_000 }).toBe(2);

      const code = await server.stop();
      expect(code).toBe(0);
      await closed;
      expect(server.output()).toContain('Stopped.');
      expect(server.output()).not.toContain('exit forced');
    } finally {
      await server.stop();
    }
  }, 120_000);
});
