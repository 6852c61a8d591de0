import { follow } from './sse.js'
import { api, isTerminal, money, rankOf, statusOrder } from './session.js'
import { button, renderSignIn } from './sign-in.js'

const $ = (id) => document.getElementById(id)
const basket = new Map()
const orders = new Map()
let token
let menu = []
// One key per basket: a double click or a retry of the same basket places one order.
let idempotencyKey

renderSignIn($('session'), 'customer', `guest-${crypto.randomUUID().slice(0, 8)}`, (signedIn) => {
  token = signedIn
  renderBasket()
})
loadMenu()
setInterval(loadMenu, 3000)

async function loadMenu() {
  try {
    menu = (await (await fetch('/api/menu')).json()).items
    renderMenu()
  } catch {
    // The menu stays as last shown; the next refresh tries again.
  }
}

function renderMenu() {
  $('menu').replaceChildren(
    ...menu.map((item) => {
      const li = document.createElement('li')
      li.className = 'row'
      li.dataset.item = item.id
      const name = document.createElement('span')
      name.textContent = `${item.name} · ${money(item.priceCents)}`
      const action = item.available
        ? button('Add', 'secondary', () => add(item))
        : Object.assign(document.createElement('span'), { className: 'sold-out', textContent: 'Sold out' })
      if (item.available) action.setAttribute('aria-label', `Add ${item.name}`)
      li.append(name, action)
      return li
    }),
  )
}

function add(item) {
  const line = basket.get(item.id) ?? { item, quantity: 0, notes: '' }
  line.quantity = Math.min(20, line.quantity + 1)
  basket.set(item.id, line)
  idempotencyKey = undefined
  renderBasket()
}

function renderBasket() {
  const lines = [...basket.values()]
  $('basket').replaceChildren(...lines.map(basketLine))
  $('basket-empty').hidden = lines.length > 0
  $('total').textContent = money(lines.reduce((sum, line) => sum + line.item.priceCents * line.quantity, 0))
  $('place').disabled = lines.length === 0 || !token
}

function basketLine(line) {
  const li = document.createElement('li')
  li.className = 'row'
  const quantity = Object.assign(document.createElement('input'), { type: 'number', min: 0, max: 20, value: line.quantity })
  quantity.setAttribute('aria-label', `Quantity of ${line.item.name}`)
  quantity.addEventListener('change', () => {
    line.quantity = Math.max(0, Math.min(20, Number(quantity.value) || 0))
    if (line.quantity === 0) basket.delete(line.item.id)
    idempotencyKey = undefined
    renderBasket()
  })
  const notes = Object.assign(document.createElement('input'), { type: 'text', maxLength: 200, value: line.notes, placeholder: 'notes' })
  notes.setAttribute('aria-label', `Notes for ${line.item.name}`)
  notes.addEventListener('change', () => {
    line.notes = notes.value
    idempotencyKey = undefined
  })
  li.append(Object.assign(document.createElement('span'), { textContent: line.item.name }), quantity, notes)
  return li
}

$('place').addEventListener('click', async () => {
  idempotencyKey ??= crypto.randomUUID()
  const items = [...basket.values()].map(({ item, quantity, notes }) => ({ menuItemId: item.id, quantity, ...(notes ? { notes } : {}) }))
  $('basket-error').textContent = ''
  try {
    const order = await api(token, '/api/orders', { method: 'POST', body: { items }, headers: { 'idempotency-key': idempotencyKey } })
    basket.clear()
    renderBasket()
    track(order)
  } catch (err) {
    $('basket-error').textContent = err.problem?.invalidParams?.map((p) => p.reason).join('; ') || err.message
  }
})

function track(order) {
  if (orders.has(order.id)) return
  const view = { order, received: [], element: document.createElement('li') }
  view.element.dataset.order = order.id
  orders.set(order.id, view)
  $('orders').prepend(view.element)
  renderOrder(view)
  follow(`/api/orders/${order.id}/events`, {
    token,
    isDone: () => isTerminal(view.order.status),
    onState: (state) => {
      view.connection = state
      renderOrder(view)
    },
    onEvent: ({ data }) => {
      view.received.push({ status: data.status, at: data.at, receivedAt: Date.now() })
      if (rankOf(data.status) > rankOf(view.order.status) || data.status === view.order.status) view.order = data.order
      renderOrder(view)
    },
  })
}

function renderOrder(view) {
  const { order } = view
  const reached = new Map(order.history.map((entry) => [entry.status, entry.at]))
  const steps = document.createElement('ol')
  steps.className = 'steps'
  steps.setAttribute('aria-label', 'Progress')
  for (const status of statusOrder) {
    const step = document.createElement('li')
    const at = reached.get(status)
    step.className = at ? 'done' : ''
    step.textContent = at ? `${status} ${new Date(at).toLocaleTimeString()}` : status
    steps.append(step)
  }
  const heading = document.createElement('p')
  heading.className = 'row'
  const summary = `${order.lines.map((line) => `${line.quantity}× ${line.name}`).join(', ')} · ${money(order.totalCents)}`
  heading.append(
    Object.assign(document.createElement('span'), { textContent: summary }),
    Object.assign(document.createElement('span'), { className: `status status-${order.status}`, textContent: order.status, role: 'status' }),
  )
  const parts = [heading, steps]
  if (order.reason) parts.push(Object.assign(document.createElement('p'), { className: 'error', textContent: order.reason }))
  if (view.connection === 'reconnecting') parts.push(Object.assign(document.createElement('p'), { className: 'muted', textContent: 'Reconnecting…' }))
  if (order.status === 'placed' || order.status === 'accepted') {
    parts.push(button('Cancel order', 'secondary', () => api(token, `/api/orders/${order.id}/cancel`, { method: 'POST' }).catch(() => undefined)))
  }
  view.element.replaceChildren(...parts)
}

// For the browser tests and the latency figure: what arrived, when.
window.restaurant = { orders }
