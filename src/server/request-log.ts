/**
 * The request log: one JSON line per request, written by the production server after it answered.
 * It records what an operator needs and nothing a client could use: the method, the path without
 * its query (a query may carry what a careless client put there), the status, the time taken, the
 * request id also sent as `x-request-id`, and what the sandbox observed (the client_id once it
 * names a registered client, the OAuth error code). Never headers, bodies, secrets or tokens.
 */
import { isoTime } from '../lib/iso-time.ts';

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

/**
 * The JSON line (with its newline) for `entry` at `time`. Written field by field rather than
 * through an object and JSON.stringify (every request pays it); each string is still escaped by
 * JSON.stringify, so whatever a client sent stays inside its field and on one line.
 */
export function formatRequestLogLine(entry: RequestLogEntry, time: Date | number): string {
  const path =
    entry.path.length > maxLoggedPathLength ? `${entry.path.slice(0, maxLoggedPathLength)}…` : entry.path;
  let line =
    `{"time":"${isoTime(typeof time === 'number' ? time : time.getTime())}","level":"info","message":"request"` +
    `,"request_id":${JSON.stringify(entry.requestId)},"method":${JSON.stringify(entry.method)}` +
    `,"path":${JSON.stringify(path)},"status":${JSON.stringify(entry.status)}` +
    `,"duration_ms":${JSON.stringify(Math.round(entry.durationMs * 100) / 100)}`;
  if (entry.clientId !== undefined) line += `,"client_id":${JSON.stringify(entry.clientId)}`;
  if (entry.error !== undefined) line += `,"error":${JSON.stringify(entry.error)}`;
  return `${line}}\n`;
}

/** Takes whole lines (each ending with its newline) and writes them, maybe later, in order. */
export interface LineWriter {
  (line: string): void;
  /** Writes every line taken so far, now. */
  flush(): void;
}

/** What {@link batchedLineWriter} may be told. */
export interface BatchedLineWriterOptions {
  /** Longest a line waits for its write (default 100 ms): the log stays live for a reader. */
  flushIntervalMs?: number;
  /** Characters waiting at most; reaching it writes at once (default 64 Ki). */
  maxBufferedChars?: number;
}

/**
 * Lines gathered and written together, at most `flushIntervalMs` after the first of them: one
 * write per batch rather than per request. A write to a pipe or a file is a system call on the
 * event loop (Node writes stdout synchronously on Linux), which cost about 5 % of a token
 * request (npm run bench) when each line had its own. The timer never keeps the process alive;
 * what waits is written when the process exits (see {@link stdoutLines}).
 */
export function batchedLineWriter(
  write: (text: string) => void,
  { flushIntervalMs = 100, maxBufferedChars = 64 * 1024 }: BatchedLineWriterOptions = {},
): LineWriter {
  let buffered = '';
  let timer: ReturnType<typeof setTimeout> | undefined;
  const flush = () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    if (buffered === '') return;
    const text = buffered;
    buffered = '';
    write(text);
  };
  const writer = (line: string) => {
    buffered += line;
    if (buffered.length >= maxBufferedChars) flush();
    else if (timer === undefined) {
      timer = setTimeout(flush, flushIntervalMs);
      timer.unref();
    }
  };
  writer.flush = flush;
  return writer;
}

/**
 * The server's stdout, as batched lines: the request log and the server's own events share it, so
 * they stay in order. Whatever waits is written when the process exits, however it exits (a
 * clean stop, process.exit, an uncaught exception): a line is lost only if the process is killed
 * outright (SIGKILL), and then at most the last 100 ms of them.
 */
export const stdoutLines: LineWriter = batchedLineWriter((text) => void process.stdout.write(text));
process.once('exit', () => stdoutLines.flush());

/** A request log of JSON lines, by default to {@link stdoutLines}. */
export function jsonLinesRequestLog(writeLine: (line: string) => void = stdoutLines): RequestLog {
  return (entry) => writeLine(formatRequestLogLine(entry, Date.now()));
}
