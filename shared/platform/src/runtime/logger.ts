import { pino, type DestinationStream, type Logger } from 'pino'
import { traceIds } from './tracing.js'

export interface LoggerOptions {
  name: string
  level: string
  pretty: boolean
  /** Where lines go instead of stdout (tests read them). */
  destination?: DestinationStream
}

// Wherever a request's headers or a credential are logged, the secret is replaced; `*.` covers one level down.
export const redactedPaths: readonly string[] = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-restaurant-identity"]',
  'headers.authorization',
  'headers["x-restaurant-identity"]',
  '*.password',
  '*.token',
  '*.key',
  '*.secret',
]

/**
 * JSON lines on stdout; pino-pretty when a person reads them. Credentials never reach the log; a line
 * written inside a trace carries its trace and span ids.
 */
export function createLogger({ name, level, pretty, destination }: LoggerOptions): Logger {
  const options = {
    name,
    level,
    redact: { paths: [...redactedPaths], censor: '[redacted]' },
    mixin: traceIds,
    ...(pretty ? { transport: { target: 'pino-pretty', options: { translateTime: 'HH:MM:ss.l', ignore: 'pid,hostname', singleLine: true } } } : {}),
  }
  return destination ? pino(options, destination) : pino(options)
}
export type { Logger } from 'pino'
