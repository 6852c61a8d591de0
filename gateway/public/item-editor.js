import { button } from './sign-in.js'

export const toEuros = (cents) => (cents / 100).toFixed(2)
export const toCents = (euros) => Math.round(Number(euros) * 100)
export const slug = (name) =>
  name.toLowerCase().normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '')

const textFields = [
  ['name', 'Name'],
  ['category', 'Category'],
  ['description', 'Description'],
]

/**
 * The form that edits `item` in `container`. The draft is a copy of the item's editable fields; `onSave` gets
 * what differs from the item (the changes an edit sends), `onClose` is called when the admin gives up.
 */
export function openEditor(container, item, { onSave, onClose }) {
  const draft = structuredClone({ name: item.name, category: item.category, description: item.description, priceCents: item.priceCents, optionGroups: item.optionGroups })
  const render = () => {
    const form = document.createElement('form')
    form.className = 'fields'
    form.append(...textFields.map(([field, text]) => textInput(text, draft, field, field === 'description' ? 'textarea' : 'input')))
    form.append(numberInput('Price (€)', toEuros(draft.priceCents), (value) => (draft.priceCents = toCents(value))))
    form.append(...draft.optionGroups.map((group, index) => groupFieldset(draft, index, render)))
    const addGroup = button('Add an option group', 'secondary', () => {
      draft.optionGroups.push({ name: '', minChoices: 0, maxChoices: 1, options: [blankOption()] })
      render()
    })
    const actions = document.createElement('p')
    actions.className = 'row wide'
    actions.append(addGroup, Object.assign(document.createElement('button'), { type: 'submit', textContent: `Save ${item.name}` }), button('Cancel', 'secondary', onClose))
    form.append(actions)
    form.addEventListener('submit', (event) => {
      event.preventDefault()
      onSave(changesFrom(item, draft))
    })
    const title = Object.assign(document.createElement('h2'), { id: 'editor-title', textContent: `Edit ${item.name} (version ${item.version})` })
    container.replaceChildren(title, form)
  }
  render()
  container.hidden = false
}

const blankOption = () => ({ name: '', priceDeltaCents: 0, prepSecondsDelta: 0 })

function groupFieldset(draft, index, render) {
  const group = draft.optionGroups[index]
  const fieldset = document.createElement('fieldset')
  fieldset.className = 'group wide'
  const legendText = group.name || 'New option group'
  fieldset.append(Object.assign(document.createElement('legend'), { textContent: legendText }))
  fieldset.append(textInput(`${legendText}: name`, group, 'name'))
  fieldset.append(numberInput(`${legendText}: at least`, group.minChoices, (value) => (group.minChoices = Number(value)), '1'))
  fieldset.append(numberInput(`${legendText}: at most`, group.maxChoices, (value) => (group.maxChoices = Number(value)), '1'))
  fieldset.append(...group.options.map((option) => optionRow(group, option, render)))
  const actions = document.createElement('p')
  actions.className = 'row'
  actions.append(
    button(`Add an option to ${legendText}`, 'secondary', () => {
      group.options.push(blankOption())
      render()
    }),
    button(`Remove the group ${legendText}`, 'secondary', () => {
      draft.optionGroups.splice(index, 1)
      render()
    }),
  )
  fieldset.append(actions)
  return fieldset
}

function optionRow(group, option, render) {
  const row = document.createElement('p')
  row.className = 'row option'
  const optionText = option.name || 'new option'
  row.append(
    textInput(`Name of ${optionText}`, option, 'name'),
    numberInput(`Extra price of ${optionText} (€)`, toEuros(option.priceDeltaCents), (value) => (option.priceDeltaCents = toCents(value))),
    button(`Remove ${optionText}`, 'secondary', () => {
      group.options = group.options.filter((candidate) => candidate !== option)
      render()
    }),
  )
  return row
}

function textInput(text, target, field, element = 'input') {
  const label = Object.assign(document.createElement('label'), { textContent: `${text} ` })
  if (element === 'textarea') label.className = 'wide'
  const input = Object.assign(document.createElement(element), { value: target[field] ?? '' })
  input.addEventListener('input', () => (target[field] = input.value))
  label.append(input)
  return label
}

function numberInput(text, value, onInput, step = '0.01') {
  const label = Object.assign(document.createElement('label'), { textContent: `${text} ` })
  const input = Object.assign(document.createElement('input'), { type: 'number', min: '0', step, value: String(value) })
  input.addEventListener('input', () => onInput(input.value))
  label.append(input)
  return label
}

/** New groups and options get ids from their names, unique among their siblings; existing ones keep theirs. */
function withIds(groups) {
  const unique = (taken, name) => {
    const base = slug(name) || 'option'
    let id = base
    for (let n = 2; taken.has(id); n++) id = `${base}-${n}`
    taken.add(id)
    return id
  }
  const groupIds = new Set(groups.flatMap((group) => (group.id ? [group.id] : [])))
  const optionIds = new Set(groups.flatMap((group) => group.options.flatMap((option) => (option.id ? [option.id] : []))))
  return groups.map(({ id, options, ...group }) => ({
    id: id ?? unique(groupIds, group.name),
    ...group,
    options: options.map(({ id: optionId, ...option }) => ({ id: optionId ?? unique(optionIds, option.name), ...option })),
  }))
}

// Key order differs between what the server sent and what the form built: compare with keys sorted.
const canonical = (value) =>
  JSON.stringify(value, (_key, inner) => (inner && typeof inner === 'object' && !Array.isArray(inner) ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => (a < b ? -1 : 1))) : inner))

function changesFrom(item, draft) {
  const edited = { ...draft, optionGroups: withIds(draft.optionGroups) }
  return Object.fromEntries(Object.entries(edited).filter(([field, value]) => canonical(value) !== canonical(item[field])))
}
