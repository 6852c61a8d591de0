import { connect, type Socket } from 'node:net'

/** When the client goes: before, during or after its request, or at a point of the response. */
export type DropMoment = { kind: 'on connect' | 'mid-request' | 'request written' } | { kind: 'after ms'; ms: number } | ResponseMoment
type ResponseMoment = { kind: 'first bytes' | 'headers' | 'first event' }

export interface Drop {
  moment: DropMoment
  /** `destroy()` ends the connection with a FIN, `resetAndDestroy()` with an RST. */
  reset: boolean
}

export interface DropOutcome {
  /** The response's status, if its first line arrived before the drop. */
  status?: number
  bytesReceived: number
  /** From connecting to the first byte of the response, if one came before the drop. */
  firstByteMs?: number
  /** The moment never came within the time allowed (the response ended or stalled first). */
  missed: boolean
}

// A response head ends with an empty line; an event ends with one after its `data` line.
const headEnd = '\r\n\r\n'
const eventEnd = /\ndata: [^\n]*\n\n/

/**
 * Opens an event stream over a raw TCP socket, as a browser or a phone that loses its network would,
 * and drops the connection at `drop.moment`. Resolves once the socket is closed.
 */
export function openAndDrop(baseUrl: string, path: string, headers: Record<string, string>, drop: Drop, timeoutMs = 10_000): Promise<DropOutcome> {
  const { hostname, port } = new URL(baseUrl)
  const head = [`GET ${path} HTTP/1.1`, `host: ${hostname}:${port}`, ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`), '', ''].join('\r\n')
  const { moment } = drop
  return new Promise((resolve) => {
    const socket: Socket = connect(Number(port), hostname)
    let received = ''
    let missed = false
    let connectedAt = Date.now()
    let firstByteMs: number | undefined
    const goAway = () => {
      if (socket.destroyed) return
      if (drop.reset) socket.resetAndDestroy()
      else socket.destroy()
    }
    const giveUp = setTimeout(() => {
      missed = true
      goAway()
    }, timeoutMs)
    socket.on('error', () => undefined)
    socket.on('close', () => {
      clearTimeout(giveUp)
      const status = /^HTTP\/1\.1 (\d{3})/.exec(received)?.[1]
      resolve({ status: status ? Number(status) : undefined, bytesReceived: Buffer.byteLength(received), firstByteMs, missed: missed || (isResponseMoment(moment) && !reached(moment, received)) })
    })
    socket.on('data', (chunk: Buffer) => {
      firstByteMs ??= Date.now() - connectedAt
      received += chunk.toString()
      if (isResponseMoment(moment) && reached(moment, received)) goAway()
    })
    socket.on('connect', () => {
      connectedAt = Date.now()
      if (moment.kind === 'on connect') return goAway()
      if (moment.kind === 'mid-request') return void socket.write(head.slice(0, head.length / 2), goAway)
      if (moment.kind === 'request written') return void socket.write(head, goAway)
      socket.write(head)
      if (moment.kind === 'after ms') setTimeout(goAway, moment.ms)
    })
  })
}

function isResponseMoment(moment: DropMoment): moment is ResponseMoment {
  return moment.kind === 'first bytes' || moment.kind === 'headers' || moment.kind === 'first event'
}

function reached(moment: ResponseMoment, received: string): boolean {
  if (moment.kind === 'first bytes') return received.length > 0
  const bodyAt = received.indexOf(headEnd)
  if (moment.kind === 'headers') return bodyAt >= 0
  return bodyAt >= 0 && eventEnd.test(received.slice(bodyAt))
}
