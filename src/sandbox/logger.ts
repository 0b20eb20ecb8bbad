/**
 * Where the sandbox reports what no response can say (an unexpected failure, a failed sweep). The
 * host decides where that goes: the production server writes JSON lines to stderr. The sandbox
 * itself never writes to the console.
 */
export interface SandboxLogger {
  /** An event worth an operator's attention; `fields` never hold a secret, a token or a message that could quote one. */
  error(message: string, fields: Record<string, unknown>): void;
}

/** The default when the host gives none (tests, benchmarks): nothing is reported. */
export const silentLogger: SandboxLogger = { error() {} };
