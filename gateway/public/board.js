import { follow } from './sse.js'
import { api, rankOf } from './session.js'
import { button, renderSignIn } from './sign-in.js'

const $ = (id) => document.getElementById(id)
const columns = [
  ['placed', 'Placed'],
  ['accepted', 'Waiting for a station'],
  ['cooking', 'Cooking'],
  ['ready', 'Ready'],
  ['closed', 'Rejected, cancelled or failed'],
]
const tickets = new Map()
// What arrived and when, for the browser tests and the latency figure.
const received = []
window.restaurant = { received }
let token

renderSignIn($('session'), 'staff', 'pass', async (signedIn) => {
  token = signedIn
  const onEvent = ({ data }) => {
    received.push({ orderId: data.orderId, status: data.status, at: data.at, receivedAt: Date.now() })
    show(data.order)
  }
  follow('/api/orders/events', { token: () => token, onEvent, onState: (state) => ($('connection').textContent = `Live updates: ${state}`) })
  const { orders } = await api(token, '/api/orders?limit=100')
  orders.forEach(show)
  renderStock()
}, (renewed) => (token = renewed))
setInterval(render, 1000)

function show(order) {
  const known = tickets.get(order.id)
  if (known && rankOf(known.status) > rankOf(order.status)) return
  tickets.set(order.id, order)
  scheduleRender()
}

// Many events can arrive in one frame: draw the board once per frame, not once per event.
let renderPending = false
function scheduleRender() {
  if (renderPending) return
  renderPending = true
  requestAnimationFrame(() => {
    renderPending = false
    render()
  })
}

const columnOf = (status) => (rankOf(status) === 3 && status !== 'ready' ? 'closed' : status)

function render() {
  const sorted = [...tickets.values()].sort((a, b) => a.placedAt.localeCompare(b.placedAt))
  $('board').replaceChildren(
    ...columns.map(([key, title]) => {
      const column = document.createElement('section')
      column.className = 'column'
      column.dataset.column = key
      const inColumn = sorted.filter((order) => columnOf(order.status) === key)
      const heading = document.createElement('h2')
      heading.append(title, Object.assign(document.createElement('span'), { textContent: String(inColumn.length) }))
      column.append(heading, ...inColumn.map(ticket))
      return column
    }),
  )
}

function ticket(order) {
  const card = document.createElement('article')
  card.className = 'ticket'
  card.dataset.order = order.id
  card.dataset.status = order.status
  const elapsed = Math.max(0, Math.round((Date.now() - Date.parse(order.placedAt)) / 1000))
  const title = Object.assign(document.createElement('strong'), { textContent: `#${order.id.slice(-6)}${order.table ? ` · table ${order.table}` : ''}` })
  const time = Object.assign(document.createElement('span'), { className: 'muted', textContent: ` ${Math.floor(elapsed / 60)}:${String(elapsed % 60).padStart(2, '0')}` })
  const lines = Object.assign(document.createElement('ul'), { className: 'plain' })
  lines.append(...order.lines.map((line) => Object.assign(document.createElement('li'), { textContent: `${line.quantity}× ${line.name}${line.notes ? ` (${line.notes})` : ''}` })))
  card.append(title, time, lines)
  if (order.reason) card.append(Object.assign(document.createElement('p'), { className: 'error', textContent: order.reason }))
  return card
}

async function renderStock() {
  const { items } = await (await fetch('/api/menu')).json()
  $('stock').replaceChildren(
    ...items.map((item) => {
      const li = document.createElement('li')
      li.className = 'row'
      li.dataset.item = item.id
      const state = Object.assign(document.createElement('span'), { className: item.available ? '' : 'sold-out', textContent: `${item.name}: ${item.available ? 'available' : 'sold out'}` })
      const toggle = button(item.available ? `Mark ${item.name} sold out` : `Put ${item.name} back on the menu`, 'secondary', async () => {
        await api(token, `/api/menu/${item.id}`, { method: 'PATCH', body: { available: !item.available } }).catch(() => undefined)
        renderStock()
      })
      li.append(state, toggle)
      return li
    }),
  )
}
