import { priceDelta } from './dish-options.js'
import { money } from './session.js'
import { button } from './sign-in.js'

const fieldNames = { name: 'Name', category: 'Category', description: 'Description', priceCents: 'Price', available: 'Availability', optionGroups: 'Options' }

const optionText = (option) => (option.priceDeltaCents ? `${option.name} ${priceDelta(option.priceDeltaCents)}` : option.name)

function describe(field, value) {
  if (field === 'priceCents') return money(value)
  if (field === 'available') return value ? 'available' : 'sold out'
  if (field === 'optionGroups') return value.map((group) => `${group.name} (${group.minChoices}–${group.maxChoices}): ${group.options.map(optionText).join(', ')}`).join('; ') || 'none'
  return String(value)
}

function definitions(pairs) {
  const list = document.createElement('dl')
  for (const [term, text] of pairs) list.append(Object.assign(document.createElement('dt'), { textContent: term }), Object.assign(document.createElement('dd'), { textContent: text }))
  return list
}

/**
 * A stale edit, made plain: who changed the item since the admin's version, how it stands now, and the change the
 * admin made, which `onReapply` makes again from the current version (or `onDiscard` drops).
 */
export function renderConflict(container, { stale, current, change, onReapply, onDiscard }) {
  const when = new Date(current.changedAt).toLocaleString()
  const mine = change.changes ? Object.entries(change.changes).map(([field, value]) => [fieldNames[field] ?? field, describe(field, value)]) : [['Action', change.label]]
  container.replaceChildren(
    Object.assign(document.createElement('h2'), { textContent: `Someone else changed ${current.name}` }),
    Object.assign(document.createElement('p'), {
      textContent: `Not saved: you changed version ${stale.version}, but ${current.changedBy} changed it since (${when}); it is now version ${current.version}. Its current values are below; nothing of yours was lost.`,
    }),
    Object.assign(document.createElement('h3'), { textContent: 'Now' }),
    definitions(Object.keys(fieldNames).map((field) => [fieldNames[field], describe(field, current[field])])),
    Object.assign(document.createElement('h3'), { textContent: 'Your change' }),
    definitions(mine),
    Object.assign(document.createElement('p'), { className: 'row' }),
  )
  container.lastChild.append(button(`Re-apply my change on version ${current.version}`, '', onReapply), button('Discard my change', 'secondary', onDiscard))
  container.hidden = false
  container.scrollIntoView({ block: 'nearest' })
}
