import { pino, type Logger } from 'pino'

export interface LoggerOptions {
  name: string
  level: string
  pretty: boolean
}

// Wherever a request's headers or a credential are logged, the secret is replaced; `*.` covers one level down.
export const redactedPaths = [
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

/** JSON lines on stdout; pino-pretty when a person reads them. Credentials never reach the log. */
export function createLogger({ name, level, pretty }: LoggerOptions): Logger {
  return pino({
    name,
    level,
    redact: { paths: redactedPaths, censor: '[redacted]' },
    ...(pretty ? { transport: { target: 'pino-pretty', options: { translateTime: 'HH:MM:ss.l', ignore: 'pid,hostname', singleLine: true } } } : {}),
  })
}
