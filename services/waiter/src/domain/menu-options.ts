import type { MenuItem, MenuOption, OptionGroup } from '@restaurant/contracts/menu'
import type { ChosenOption } from '@restaurant/contracts/orders'
import type { InvalidParam } from '@restaurant/contracts/problem'

/** The options chosen for one line, with what they add to a unit, or the problems that refuse them. */
export interface Choice {
  options: ChosenOption[]
  priceDeltaCents: number
  prepSecondsDelta: number
  problems: InvalidParam[]
}

interface Chosen {
  option: MenuOption
  group: OptionGroup
  index: number
}

/**
 * Checks the option ids chosen for `item` against its groups: each names one of its options, once, and each group
 * gets between its least and most choices. A problem names the field at `field` (`/items/0/options`) or the choice
 * in it (`/items/0/options/1`).
 */
export function chooseOptions(item: MenuItem, ids: readonly string[], field: string): Choice {
  const problems: InvalidParam[] = []
  const chosen: Chosen[] = []
  ids.forEach((id, index) => {
    const group = item.optionGroups.find((candidate) => candidate.options.some((option) => option.id === id))
    const option = group?.options.find((candidate) => candidate.id === id)
    if (!group || !option) problems.push(problemAt(`${field}/${index}`, `${id} is not an option of ${item.id}`))
    else if (chosen.some((earlier) => earlier.option.id === id)) problems.push(problemAt(`${field}/${index}`, `${id} is chosen twice`))
    else chosen.push({ option, group, index })
  })
  for (const group of item.optionGroups) problems.push(...countProblems(group, chosen, field))
  return {
    options: chosen.map(({ option, group }) => ({ id: option.id, name: option.name, group: group.name, priceDeltaCents: option.priceDeltaCents })),
    priceDeltaCents: chosen.reduce((sum, { option }) => sum + option.priceDeltaCents, 0),
    prepSecondsDelta: chosen.reduce((sum, { option }) => sum + option.prepSecondsDelta, 0),
    problems,
  }
}

// Too few is the whole list's fault; too many, that of the first choice past the most.
function countProblems(group: OptionGroup, chosen: readonly Chosen[], field: string): InvalidParam[] {
  const inGroup = chosen.filter((choice) => choice.group === group)
  if (inGroup.length < group.minChoices) return [problemAt(field, `${group.name}: choose at least ${group.minChoices}`)]
  const tooMany = inGroup[group.maxChoices]
  return tooMany ? [problemAt(`${field}/${tooMany.index}`, `${group.name}: choose at most ${group.maxChoices}`)] : []
}

function problemAt(name: string, reason: string): InvalidParam {
  return { in: 'body', name, reason }
}
