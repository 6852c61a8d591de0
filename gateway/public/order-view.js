import { follow } from './sse.js'
import { api, isTerminal, money, rankOf, statusOrder } from './session.js'
import { button } from './sign-in.js'

/**
 * Shows a placed order at the top of `list` and follows its status until it ends; `orders` keeps each one's view.
 * `token()` gives the customer's token of the moment.
 */
export function trackOrder(order, { token, orders, list }) {
  if (orders.has(order.id)) return
  const view = { order, received: [], element: document.createElement('li') }
  view.element.dataset.order = order.id
  orders.set(order.id, view)
  list.prepend(view.element)
  renderOrder(view, token)
  follow(`/api/orders/${order.id}/events`, {
    token,
    isDone: () => isTerminal(view.order.status),
    onState: (state) => {
      view.connection = state
      renderOrder(view, token)
    },
    onEvent: ({ data }) => {
      view.received.push({ status: data.status, at: data.at, receivedAt: Date.now() })
      if (rankOf(data.status) > rankOf(view.order.status) || data.status === view.order.status) view.order = data.order
      renderOrder(view, token)
    },
  })
}

const lineSummary = (line) => `${line.quantity}× ${line.name}${line.options?.length ? ` (${line.options.map((option) => option.name).join(', ')})` : ''}`

function progress(order) {
  const reached = new Map(order.history.map((entry) => [entry.status, entry.at]))
  const steps = document.createElement('ol')
  steps.className = 'steps'
  steps.setAttribute('aria-label', 'Progress')
  for (const status of statusOrder) {
    const at = reached.get(status)
    steps.append(Object.assign(document.createElement('li'), { className: at ? 'done' : '', textContent: at ? `${status} ${new Date(at).toLocaleTimeString()}` : status }))
  }
  return steps
}

function renderOrder(view, token) {
  const { order } = view
  const heading = document.createElement('p')
  heading.className = 'row'
  const summary = Object.assign(document.createElement('span'), { textContent: `${order.lines.map(lineSummary).join(', ')} · ` })
  summary.append(Object.assign(document.createElement('strong'), { className: 'order-total', textContent: money(order.totalCents) }))
  heading.append(
    summary,
    Object.assign(document.createElement('span'), { className: `status status-${order.status}`, textContent: order.status, role: 'status' }),
  )
  const parts = [heading, progress(order)]
  if (order.reason) parts.push(Object.assign(document.createElement('p'), { className: 'error', textContent: order.reason }))
  if (view.connection === 'reconnecting') parts.push(Object.assign(document.createElement('p'), { className: 'muted', textContent: 'Reconnecting…' }))
  if (order.status === 'placed' || order.status === 'accepted') {
    parts.push(button('Cancel order', 'secondary', () => api(token(), `/api/orders/${order.id}/cancel`, { method: 'POST' }).catch(() => undefined)))
  }
  view.element.replaceChildren(...parts)
}
