/**
 * The upstream of the gateway-alone runs, standing in for a waiter whose work is zero: node:http answering
 * `POST /api/orders` with a 202 and a constant order, and `GET /internal/credentials` with nothing revoked (what
 * our gateway fills its credential cache from). It checks no identity header. Anything else is a 404, which is
 * enough for a gateway's readiness probe (any answer short of a 5xx).
 */
import { createServer, type ServerResponse } from 'node:http'

const placedAt = new Date().toISOString()
const order = JSON.stringify({
  id: 'ord_stub',
  status: 'placed',
  placedAt,
  lines: [
    { menuItemId: 'fries', name: 'Fries', quantity: 1, unitPriceCents: 350 },
    { menuItemId: 'lemonade', name: 'Lemonade', quantity: 1, unitPriceCents: 300 },
  ],
  totalCents: 650,
  owner: 'load-customer',
  history: [{ status: 'placed', at: placedAt }],
  version: 1,
})
const noCredentials = JSON.stringify({ keys: [], subjects: [], tokens: [] })

function answer(response: ServerResponse, status: number, body: string, headers: Record<string, string> = {}) {
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers })
  response.end(body)
}

createServer((request, response) => {
  // The body is read to its end, as any upstream must before answering on a kept-alive connection.
  request.resume()
  request.once('end', () => {
    const path = request.url?.split('?')[0]
    if (request.method === 'POST' && path === '/api/orders') return answer(response, 202, order, { location: '/api/orders/ord_stub' })
    if (request.method === 'GET' && path === '/internal/credentials') return answer(response, 200, noCredentials)
    answer(response, 404, '{"error":"not found"}')
  })
}).listen(Number(process.env.PORT), '127.0.0.1')
