import type { SandboxLogger } from '../sandbox/index.ts';

/** The sandbox's events as JSON lines on stderr, beside the server's own (README, "Logs"). */
export const jsonLinesSandboxLogger: SandboxLogger = {
  error(message, fields) {
    console.error(JSON.stringify({ time: new Date().toISOString(), level: 'error', message, ...fields }));
  },
};
