import { once } from 'node:events'
import { connect } from 'node:net'
import type { HttpServer } from '@restaurant/platform/http/server'

/** The port the gateway listens on, listening on a free one first if it does not yet. */
export async function listening(gateway: HttpServer): Promise<number> {
  if (!gateway.server.listening) await gateway.listen({ host: '127.0.0.1', port: 0 })
  const address = gateway.server.address()
  if (!address || typeof address === 'string') throw new Error('no port')
  return address.port
}

/** Sends bytes exactly as given (no client resolves them first) and returns what the server answered before closing or going quiet. */
export async function rawRequest(port: number, request: string): Promise<string> {
  const socket = connect(port, '127.0.0.1')
  await once(socket, 'connect')
  let answer = ''
  socket.on('data', (chunk: Buffer) => (answer += chunk.toString()))
  socket.write(request)
  await Promise.race([once(socket, 'close'), new Promise((resolve) => setTimeout(resolve, 1_000))])
  socket.destroy()
  return answer
}
