import { Type, type Static } from 'typebox'
import { Value } from 'typebox/value'
import seedMenu from './menu.json' with { type: 'json' }

/** The menu: the one place where dishes, prices, stations and preparation times are defined. */
export const stations = ['grill', 'fry', 'salad', 'drinks', 'dessert'] as const
export const StationSchema = Type.Enum(stations)
export type Station = Static<typeof StationSchema>

export const MenuItemSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  priceCents: Type.Integer({ minimum: 0 }),
  prepSeconds: Type.Number({ minimum: 0 }),
  station: StationSchema,
  available: Type.Boolean(),
})
export type MenuItem = Static<typeof MenuItemSchema>

// The seed menu is data (menu.json); checked against the schema when loaded, so a bad edit fails at start-up.
export const menu: readonly MenuItem[] = Value.Parse(Type.Array(MenuItemSchema), seedMenu)

/** How many items each station works on at once. */
export const stationCapacity: Readonly<Record<Station, number>> = {
  grill: 4,
  fry: 3,
  salad: 2,
  drinks: 4,
  dessert: 2,
}

export function findMenuItem(items: readonly MenuItem[], id: string): MenuItem | undefined {
  return items.find((item) => item.id === id)
}

/** Why an item cannot be ordered now, or undefined when it can: the one rule for intake and for queued orders. */
export function whyUnorderable(items: readonly MenuItem[], id: string): 'not on the menu' | 'sold out' | undefined {
  const item = findMenuItem(items, id)
  if (!item) return 'not on the menu'
  return item.available ? undefined : 'sold out'
}

/** The menu with staff's changes applied: `overrides` maps an item id to whether it is available now. */
export function withAvailability(items: readonly MenuItem[], overrides: Readonly<Record<string, boolean>>): MenuItem[] {
  return items.map((item) => {
    const available = overrides[item.id]
    return available === undefined ? item : { ...item, available }
  })
}
