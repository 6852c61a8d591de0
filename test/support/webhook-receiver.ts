import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { PartnerEvent } from '@restaurant/contracts/partners'
import { Webhook } from 'standardwebhooks'
import type { Test } from 'tap'

/** What the receiver does with the next deliveries: take them, fail them, never answer, or say it is gone. */
export type ReceiverMode = 'ok' | 'fail' | 'hang' | 'gone'

export interface Received {
  id: string
  attempt: number
  event: PartnerEvent
  /** When it arrived (ms since the epoch), and whether it was taken (answered 2xx). */
  at: number
  taken: boolean
}

const STATUS: Record<Exclude<ReceiverMode, 'hang'>, number> = { ok: 204, fail: 500, gone: 410 }

/**
 * A partner's webhook receiver on loopback, as a real one is written: every delivery is verified with the
 * `standardwebhooks` library against the secrets it was given (a delivery that fails verification is refused with
 * 400 and counted). It keeps every delivery it got, taken or not.
 */
export async function startWebhookReceiver(t: Test, secrets: string[] = []) {
  let mode: ReceiverMode = 'ok'
  const received: Received[] = []
  const unverified: string[] = []
  const hanging = new Set<ServerResponse>()
  const server = createServer((request, response) => void receive(request, response))

  async function receive(request: IncomingMessage, response: ServerResponse) {
    let body = ''
    for await (const chunk of request) body += String(chunk)
    const headers = Object.fromEntries(Object.entries(request.headers).map(([name, value]) => [name, String(value)]))
    if (!verifiedBy(secrets, body, headers)) {
      unverified.push(headers['webhook-id'] ?? '?')
      return void response.writeHead(400).end()
    }
    const delivery = { id: headers['webhook-id'] ?? '', attempt: Number(headers['webhook-attempt']), event: JSON.parse(body) as PartnerEvent, at: Date.now() }
    received.push({ ...delivery, taken: mode === 'ok' })
    if (mode === 'hang') return void hanging.add(response)
    response.writeHead(STATUS[mode]).end()
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => {
    for (const response of hanging) response.destroy()
    server.closeAllConnections()
    server.close()
  })
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`,
    received,
    unverified,
    /** Ids taken (answered 2xx) at least once. */
    taken: () => new Set(received.filter(({ taken }) => taken).map(({ id }) => id)),
    setMode(next: ReceiverMode) {
      mode = next
    },
    /** The secrets a delivery must verify against (any one of them). */
    trust(next: string[]) {
      secrets.splice(0, secrets.length, ...next)
    },
  }
}

function verifiedBy(secrets: readonly string[], body: string, headers: Record<string, string>): boolean {
  return secrets.some((secret) => {
    try {
      new Webhook(secret).verify(body, headers)
      return true
    } catch {
      return false
    }
  })
}

export type WebhookReceiver = Awaited<ReturnType<typeof startWebhookReceiver>>
