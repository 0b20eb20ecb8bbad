/**
 * The request log: one JSON line per request, written by the production server after it answered.
 * It records what an operator needs and nothing a client could use: the method, the path without
 * its query (a query may carry what a careless client put there), the status, the time taken, the
 * request id also sent as `x-request-id`, and what the sandbox observed (the client_id once it
 * names a registered client, the OAuth error code). Never headers, bodies, secrets or tokens.
 */

/** What one line of the request log holds. */
export interface RequestLogEntry {
  requestId: string;
  method: string;
  /** The path, without the query string. */
  path: string;
  status: number;
  /** From the request's arrival until its response was handed to the socket. */
  durationMs: number;
  clientId?: string | undefined;
  error?: string | undefined;
}

/** Receives one entry per request. */
export type RequestLog = (entry: RequestLogEntry) => void;

/** Paths longer than this are cut: a log line stays a line, whatever a client sends. */
const maxLoggedPathLength = 256;

/** The JSON line (with its newline) for `entry` at `time`. */
export function formatRequestLogLine(entry: RequestLogEntry, time: Date): string {
  return `${JSON.stringify({
    time: time.toISOString(),
    level: 'info',
    message: 'request',
    request_id: entry.requestId,
    method: entry.method,
    path:
      entry.path.length > maxLoggedPathLength ? `${entry.path.slice(0, maxLoggedPathLength)}…` : entry.path,
    status: entry.status,
    duration_ms: Math.round(entry.durationMs * 100) / 100,
    client_id: entry.clientId,
    error: entry.error,
  })}\n`;
}

/**
 * A request log of JSON lines, each written with one `write` call: by default
 * `process.stdout.write`, which is asynchronous when stdout is a pipe (the usual case under a
 * process manager or a container runtime), so logging never blocks a request.
 */
export function jsonLinesRequestLog(
  write: (line: string) => void = (line) => void process.stdout.write(line),
): RequestLog {
  return (entry) => write(formatRequestLogLine(entry, new Date()));
}
