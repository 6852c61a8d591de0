// Follows a Server-Sent Events stream with fetch, so that the request can carry the Authorization header
// (EventSource cannot). Reconnects with Last-Event-ID after any break until `stop()` or `isDone()`, with the token
// `token()` gives then: the gateway ends a stream when its token ends, and the page has a new one by then.
export function follow(url, { token, onEvent, onState = () => {}, isDone = () => false }) {
  let lastEventId
  let stopped = false
  let controller
  const run = async () => {
    for (let pause = 250; !stopped && !isDone(); pause = Math.min(pause * 2, 4000)) {
      controller = new AbortController()
      try {
        const headers = { authorization: `Bearer ${token()}`, accept: 'text/event-stream' }
        if (lastEventId) headers['last-event-id'] = lastEventId
        const response = await fetch(url, { headers, signal: controller.signal })
        if (!response.ok || !response.body) throw new Error(`status ${response.status}`)
        onState('live')
        pause = 250
        for await (const frame of frames(response.body)) {
          if (frame.id) lastEventId = frame.id
          if (frame.event && frame.data) onEvent({ id: frame.id, event: frame.event, data: JSON.parse(frame.data) })
          if (isDone()) break
        }
      } catch {
        // A break (server restarted, network lost) is followed by a resume from lastEventId.
      }
      if (stopped || isDone()) break
      onState('reconnecting')
      await new Promise((resolve) => setTimeout(resolve, pause))
    }
    onState('closed')
  }
  run()
  return {
    stop() {
      stopped = true
      controller?.abort()
    },
  }
}

async function* frames(body) {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader()
  let buffer = ''
  for (;;) {
    const { value, done } = await reader.read()
    if (done) return
    buffer += value.replaceAll('\r\n', '\n')
    let end
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end)
      buffer = buffer.slice(end + 2)
      const frame = {}
      for (const line of block.split('\n')) {
        if (!line || line.startsWith(':')) continue
        const colon = line.indexOf(':')
        const field = colon < 0 ? line : line.slice(0, colon)
        const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '')
        frame[field] = field === 'data' && frame.data !== undefined ? `${frame.data}\n${value}` : value
      }
      yield frame
    }
  }
}
