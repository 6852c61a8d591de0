import { chosenIds, chosenOptions, missingGroups, optionFieldsets, unitPrice } from './dish-options.js'
import { byCategory, followMenu } from './menu-feed.js'
import { trackOrder } from './order-view.js'
import { api, money, problemText } from './session.js'
import { button, renderSignIn } from './sign-in.js'

const $ = (id) => document.getElementById(id)
// Basket lines by dish and options: the same dish with other options is another line.
const basket = new Map()
// The options being chosen for each dish, kept across the menu's updates.
const choicesOf = new Map()
const orders = new Map()
let token
let menu = []
// One key per basket: a double click or a retry of the same basket places one order.
let idempotencyKey

renderSignIn($('session'), 'customer', `guest-${crypto.randomUUID().slice(0, 8)}`, (signedIn) => {
  token = signedIn
  renderBasket()
}, (renewed) => (token = renewed))
followMenu(showMenu)

function showMenu(next) {
  menu = next.items
  let basketChanged = false
  for (const [key, line] of basket) {
    const item = menu.find((candidate) => candidate.id === line.item.id)
    if (item?.version === line.item.version) continue
    basketChanged = true
    // A dish that left the menu, or an option it no longer offers, leaves the basket; a new price is shown.
    if (!item || chosenOptions(item, line.options).length !== line.options.length) basket.delete(key)
    else line.item = item
  }
  keepingFocus(renderMenu)
  if (basketChanged) keepingFocus(renderBasket)
}

/** Redraws without losing the guest's place: the element focused before is focused again if it is redrawn. */
function keepingFocus(render) {
  const focused = document.activeElement?.id
  render()
  if (focused) document.getElementById(focused)?.focus()
}

function renderMenu() {
  $('menu').replaceChildren(
    ...byCategory(menu).map(([category, items]) => {
      const section = document.createElement('section')
      section.className = 'category'
      const list = Object.assign(document.createElement('ul'), { className: 'plain' })
      list.append(...items.map(dish))
      section.append(Object.assign(document.createElement('h3'), { textContent: category }), list)
      return section
    }),
  )
}

function dish(item) {
  const li = document.createElement('li')
  li.className = 'dish'
  li.dataset.item = item.id
  const choices = choicesOf.get(item.id) ?? new Map()
  choicesOf.set(item.id, choices)
  const title = document.createElement('p')
  title.className = 'row'
  const name = document.createElement('span')
  name.append(Object.assign(document.createElement('strong'), { textContent: item.name }), ` · ${money(item.priceCents)}`)
  title.append(name, item.available ? addButton(item, choices) : Object.assign(document.createElement('span'), { className: 'sold-out', textContent: 'Sold out' }))
  li.append(title, Object.assign(document.createElement('p'), { className: 'muted description', textContent: item.description }))
  if (!item.available) return li
  li.append(...optionFieldsets(item, choices, () => keepingFocus(() => li.replaceWith(dish(item)))))
  const missing = missingGroups(item, choices)
  if (missing.length > 0) li.append(Object.assign(document.createElement('p'), { className: 'hint', textContent: `Choose ${missing.map((group) => group.name.toLowerCase()).join(' and ')} to add it` }))
  return li
}

function addButton(item, choices) {
  const options = chosenIds(choices)
  const add = button(item.optionGroups.length ? `Add · ${money(unitPrice(item, options))}` : 'Add', 'secondary', () => {
    addToBasket(item, options)
    choicesOf.delete(item.id)
    renderMenu()
  })
  add.setAttribute('aria-label', `Add ${item.name}`)
  add.disabled = missingGroups(item, choices).length > 0
  return add
}

function addToBasket(item, optionIds) {
  const options = chosenOptions(item, optionIds).map((option) => option.id)
  const key = [item.id, ...options].join('|')
  const line = basket.get(key) ?? { key, item, options, quantity: 0, notes: '' }
  line.quantity = Math.min(20, line.quantity + 1)
  basket.set(key, line)
  idempotencyKey = undefined
  renderBasket()
}

const lineTotal = (line) => unitPrice(line.item, line.options) * line.quantity

function renderBasket() {
  const lines = [...basket.values()]
  $('basket').replaceChildren(...lines.map(basketLine))
  $('basket-empty').hidden = lines.length > 0
  $('total').textContent = money(lines.reduce((sum, line) => sum + lineTotal(line), 0))
  $('place').disabled = lines.length === 0 || !token || lines.some((line) => !line.item.available)
}

function basketLine(line) {
  const li = document.createElement('li')
  li.className = 'row'
  const optionNames = chosenOptions(line.item, line.options).map((option) => option.name)
  const name = optionNames.length ? `${line.item.name} (${optionNames.join(', ')})` : line.item.name
  const quantity = Object.assign(document.createElement('input'), { type: 'number', min: 0, max: 20, value: line.quantity, id: `quantity:${line.key}` })
  quantity.setAttribute('aria-label', `Quantity of ${name}`)
  quantity.addEventListener('change', () => {
    line.quantity = Math.max(0, Math.min(20, Number(quantity.value) || 0))
    if (line.quantity === 0) basket.delete(line.key)
    idempotencyKey = undefined
    renderBasket()
  })
  const notes = Object.assign(document.createElement('input'), { type: 'text', maxLength: 200, value: line.notes, placeholder: 'notes', id: `notes:${line.key}` })
  notes.setAttribute('aria-label', `Notes for ${name}`)
  notes.addEventListener('input', () => {
    line.notes = notes.value
    idempotencyKey = undefined
  })
  const state = line.item.available ? money(lineTotal(line)) : 'Sold out'
  li.append(Object.assign(document.createElement('span'), { textContent: name }), quantity, notes, Object.assign(document.createElement('span'), { className: line.item.available ? 'line-total' : 'sold-out', textContent: state }))
  return li
}

$('place').addEventListener('click', async () => {
  idempotencyKey ??= crypto.randomUUID()
  const items = [...basket.values()].map(({ item, options, quantity, notes }) => ({
    menuItemId: item.id,
    quantity,
    ...(options.length ? { options } : {}),
    ...(notes ? { notes } : {}),
  }))
  $('basket-error').textContent = ''
  try {
    const order = await api(token, '/api/orders', { method: 'POST', body: { items }, headers: { 'idempotency-key': idempotencyKey } })
    basket.clear()
    renderBasket()
    trackOrder(order, { token: () => token, orders, list: $('orders') })
  } catch (err) {
    $('basket-error').textContent = problemText(err)
  }
})

// For the browser tests and the latency figure: what arrived, when.
window.restaurant = { orders }
