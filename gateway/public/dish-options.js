import { money } from './session.js'

// A guest's choices for one dish: a Map from option group id to the Set of chosen option ids.

export const priceDelta = (cents) => `+${money(cents)}`

/** The chosen options of `item`, in the menu's order; choices the menu no longer offers are left out. */
export function chosenOptions(item, optionIds) {
  const chosen = new Set(optionIds)
  return item.optionGroups.flatMap((group) => group.options.filter((option) => chosen.has(option.id)))
}

export const unitPrice = (item, optionIds) => item.priceCents + chosenOptions(item, optionIds).reduce((sum, option) => sum + option.priceDeltaCents, 0)

export const chosenIds = (choices) => [...choices.values()].flatMap((ids) => [...ids])

/** The required groups not yet chosen enough of. */
export const missingGroups = (item, choices) => item.optionGroups.filter((group) => (choices.get(group.id)?.size ?? 0) < group.minChoices)

function ruleOf(group) {
  if (group.minChoices === 0) return group.maxChoices === 1 ? 'optional' : `optional, up to ${group.maxChoices}`
  const count = group.minChoices === group.maxChoices ? `${group.minChoices}` : `${group.minChoices} to ${group.maxChoices}`
  return `required: choose ${count}`
}

/** The option groups of `item` as fieldsets: radios where one at most is chosen, checkboxes otherwise. */
export function optionFieldsets(item, choices, onChange) {
  return item.optionGroups.map((group) => {
    const fieldset = document.createElement('fieldset')
    fieldset.className = 'options'
    const legend = Object.assign(document.createElement('legend'), { textContent: `${group.name} (${ruleOf(group)})` })
    const chosen = choices.get(group.id) ?? new Set()
    const single = group.maxChoices === 1
    const choose = (ids) => {
      choices.set(group.id, new Set(ids))
      onChange()
    }
    const inputs = group.options.map((option) => {
      const checked = chosen.has(option.id)
      const full = !single && !checked && chosen.size >= group.maxChoices
      const label = option.priceDeltaCents ? `${option.name} ${priceDelta(option.priceDeltaCents)}` : option.name
      return choiceInput(single ? 'radio' : 'checkbox', `${item.id}.${group.id}`, option.id, label, { checked, disabled: full }, (on) =>
        choose(single ? [option.id] : on ? [...chosen, option.id] : [...chosen].filter((id) => id !== option.id)),
      )
    })
    if (single && group.minChoices === 0) inputs.unshift(choiceInput('radio', `${item.id}.${group.id}`, '', 'None', { checked: chosen.size === 0 }, () => choose([])))
    fieldset.append(legend, ...inputs)
    return fieldset
  })
}

function choiceInput(type, name, value, text, { checked, disabled = false }, onToggle) {
  const label = document.createElement('label')
  // The id lets a redrawn dish give the focus back to the choice that had it.
  const input = Object.assign(document.createElement('input'), { type, name, value, checked, disabled, id: `${name}.${value}` })
  input.addEventListener('change', () => onToggle(input.checked))
  label.append(input, ` ${text}`)
  return label
}
