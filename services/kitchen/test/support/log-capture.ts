import { createLogger, type Logger } from '@restaurant/platform/runtime/logger'

/** One line the logger wrote, parsed: its constant message and its fields. */
export interface LogLine {
  level: number
  msg: string
  [field: string]: unknown
}

/** A logger whose lines land in `logs`, so that a test reads the log as an exit door of the flow. */
export function captureLogs(): { log: Logger; logs: LogLine[] } {
  const logs: LogLine[] = []
  const log = createLogger({ name: 'test', level: 'debug', pretty: false, destination: { write: (line: string) => void logs.push(JSON.parse(line) as LogLine) } })
  return { log, logs }
}
