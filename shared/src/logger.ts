import { pino, type Logger } from 'pino'

export interface LoggerOptions {
  name: string
  level: string
  pretty: boolean
}

/** JSON lines on stdout; pino-pretty when a person reads them. Credentials never reach the log. */
export function createLogger({ name, level, pretty }: LoggerOptions): Logger {
  return pino({
    name,
    level,
    redact: ['req.headers.authorization', 'req.headers.cookie', '*.password'],
    ...(pretty ? { transport: { target: 'pino-pretty', options: { translateTime: 'HH:MM:ss.l', ignore: 'pid,hostname', singleLine: true } } } : {}),
  })
}
