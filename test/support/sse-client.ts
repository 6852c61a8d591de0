export interface ReceivedEvent {
  id: string
  event: string
  data: { orderId: string; status: string; at: string; correlationId: string }
  receivedAt: number
}

export interface StreamReading {
  lastEventId?: string
  done: (events: ReceivedEvent[]) => boolean
  timeoutMs?: number
  /** Called with each event as it comes, so that a reader whose connection breaks keeps what it had. */
  onEvent?: (event: ReceivedEvent) => void
  /** Called once the stream is open (200): from then on, every event reaches this reader. */
  onOpen?: () => void
}

/**
 * Reads a Server-Sent Events stream until `done` says enough (or `timeoutMs` passes) and returns the events,
 * as a client would: with `lastEventId`, it asks to resume after that event.
 */
export async function readEventStream(
  url: string,
  headers: Record<string, string>,
  { lastEventId, done, timeoutMs = 20_000, onEvent, onOpen }: StreamReading,
): Promise<{ status: number; events: ReceivedEvent[] }> {
  const controller = new AbortController()
  const timer = setTimeout(() => controller.abort(), timeoutMs)
  const events: ReceivedEvent[] = []
  try {
    const response = await fetch(url, {
      headers: { accept: 'text/event-stream', ...headers, ...(lastEventId ? { 'last-event-id': lastEventId } : {}) },
      signal: controller.signal,
    })
    if (!response.ok || !response.body) return { status: response.status, events }
    onOpen?.()
    let buffer = ''
    const decoder = new TextDecoder()
    for await (const chunk of response.body) {
      buffer += decoder.decode(chunk as Uint8Array, { stream: true })
      let end: number
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const fields = new Map(buffer.slice(0, end).split('\n').filter((line) => line && !line.startsWith(':')).map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 1).trim()]))
        buffer = buffer.slice(end + 2)
        if (!fields.has('data')) continue
        const event = { id: fields.get('id') ?? '', event: fields.get('event') ?? '', data: JSON.parse(fields.get('data') ?? '{}'), receivedAt: Date.now() }
        events.push(event)
        onEvent?.(event)
      }
      if (done(events)) break
    }
    return { status: response.status, events }
  } catch (err) {
    if (controller.signal.aborted) return { status: 0, events }
    throw err
  } finally {
    clearTimeout(timer)
    controller.abort()
  }
}
