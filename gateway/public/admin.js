import { renderConflict } from './edit-conflict.js'
import { openEditor, slug, toCents } from './item-editor.js'
import { byCategory, followMenu } from './menu-feed.js'
import { api, money, problemText, rolesOf } from './session.js'
import { button, renderSignIn } from './sign-in.js'

const $ = (id) => document.getElementById(id)
const ifMatch = (version) => ({ 'if-match': `"${version}"` })
let token
let feed

renderSignIn($('session'), 'admin', 'owner', (signedIn) => {
  token = signedIn
  const roles = rolesOf(token)
  if (!roles.includes('admin')) return adminsOnly(roles)
  $('admins-only').hidden = true
  $('admin').hidden = false
  feed = followMenu(renderItems)
}, (renewed) => (token = renewed))

function adminsOnly(roles) {
  $('admin').hidden = true
  $('admins-only').hidden = false
  $('admins-only').textContent = `This page is for admins only: you are signed in as ${roles.join(', ') || 'no role'}. Sign out and paste an admin token.`
}

function renderItems({ items }) {
  $('categories').replaceChildren(...byCategory(items).map(([category]) => Object.assign(document.createElement('option'), { value: category })))
  $('items').replaceChildren(...items.map(itemRow))
}

function itemRow(item) {
  const row = document.createElement('tr')
  row.dataset.item = item.id
  const cells = [item.name, item.category, money(item.priceCents), item.available ? 'available' : 'sold out', String(item.version), `${item.changedBy}, ${new Date(item.changedAt).toLocaleString()}`]
  row.append(...cells.map((text) => Object.assign(document.createElement('td'), { textContent: text })))
  row.children[3].className = item.available ? '' : 'sold-out'
  const actions = document.createElement('div')
  actions.className = 'actions'
  actions.append(
    button(`Edit ${item.name}`, 'secondary', () => edit(item)),
    button(item.available ? `Mark ${item.name} sold out` : `Put ${item.name} back on the menu`, 'secondary', () => write(item, availabilityChange(item))),
    button(`Retire ${item.name}`, 'secondary', () => confirm(`Retire ${item.name}? It leaves the menu for good.`) && write(item, retirement(item))),
  )
  row.append(document.createElement('td'))
  row.lastChild.append(actions)
  return row
}

const patch = (id, changes) => (version) => api(token, `/api/menu/items/${id}`, { method: 'PATCH', body: changes, headers: ifMatch(version) })

const availabilityChange = (item) => {
  const changes = { available: !item.available }
  return { label: item.available ? 'mark it sold out' : 'put it back on the menu', changes, send: patch(item.id, changes) }
}

const retirement = (item) => ({
  label: 'retire it',
  send: (version) => api(token, `/api/menu/items/${item.id}/retire`, { method: 'POST', headers: ifMatch(version) }),
})

function edit(item) {
  $('conflict').hidden = true
  openEditor($('editor'), item, {
    onClose: closeEditor,
    onSave: (changes) => {
      if (Object.keys(changes).length === 0) return notice('Nothing to save: no field changed.')
      write(item, { label: 'your edit', changes, send: patch(item.id, changes) }).then((saved) => saved && closeEditor())
    },
  })
  $('editor').scrollIntoView({ block: 'nearest' })
}

function closeEditor() {
  $('editor').hidden = true
  $('editor').replaceChildren()
}

/** Makes `change` from the item's `version`; a stale one (412) is shown with the item as it stands now. */
async function write(item, change) {
  try {
    const saved = await change.send(item.version)
    notice(`Saved: ${saved.name} is now at version ${saved.version}${saved.retired ? ', retired' : ''}.`)
    feed.refresh()
    return saved
  } catch (err) {
    if (err.status === 412 && err.problem?.current) showConflict(item, err.problem.current, change)
    else if (err.status === 403) adminsOnly(rolesOf(token))
    else notice(`Not saved: ${problemText(err)}`, 'error')
    return undefined
  }
}

function showConflict(stale, current, change) {
  closeEditor()
  notice('')
  feed.refresh()
  const hide = () => {
    $('conflict').hidden = true
    $('conflict').replaceChildren()
  }
  renderConflict($('conflict'), {
    stale,
    current,
    change,
    onDiscard: hide,
    onReapply: () => {
      hide()
      write(current, change)
    },
  })
}

function notice(text, className = '') {
  $('notice').textContent = text
  $('notice').className = `notice ${className}`
}

$('new-item').addEventListener('submit', async (event) => {
  event.preventDefault()
  const form = new FormData(event.target)
  const text = (field) => String(form.get(field) ?? '').trim()
  const item = {
    id: text('id') || slug(text('name')),
    name: text('name'),
    description: text('description'),
    category: text('category'),
    priceCents: toCents(text('price')),
    prepSeconds: Number(text('prepSeconds')),
    station: text('station'),
    available: form.get('available') === 'on',
    optionGroups: [],
  }
  try {
    const created = await api(token, '/api/menu/items', { method: 'POST', body: item })
    notice(`Added ${created.name} (${created.id}): add its options with "Edit ${created.name}".`)
    event.target.reset()
    feed.refresh()
  } catch (err) {
    notice(`Not added: ${problemText(err)}`, 'error')
  }
})
