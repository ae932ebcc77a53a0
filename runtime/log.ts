/**
 * Structured logs, one JSON object a line. Never pass narrative, learner names or card contents here:
 * references, categories, ids and counts only.
 */
export type LogFields = Record<string, string | number | boolean | undefined>;

export interface Log {
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

export function jsonLog(write: (line: string) => void = (l) => process.stdout.write(l + '\n'), quiet = false): Log {
  const emit = (level: string) => (message: string, fields: LogFields = {}) => {
    if (quiet && level === 'info') return;
    write(JSON.stringify({ time: new Date().toISOString(), level, message, ...fields }));
  };
  return { info: emit('info'), warn: emit('warn'), error: emit('error') };
}
