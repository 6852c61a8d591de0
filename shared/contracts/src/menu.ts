import { Type, type Static } from 'typebox'

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

export const menu: readonly MenuItem[] = [
  { id: 'classic-burger', name: 'Classic burger', priceCents: 1150, prepSeconds: 8, station: 'grill', available: true },
  { id: 'veggie-burger', name: 'Veggie burger', priceCents: 1090, prepSeconds: 7, station: 'grill', available: true },
  { id: 'grilled-chicken', name: 'Grilled chicken', priceCents: 1390, prepSeconds: 10, station: 'grill', available: true },
  { id: 'fries', name: 'Fries', priceCents: 450, prepSeconds: 4, station: 'fry', available: true },
  { id: 'onion-rings', name: 'Onion rings', priceCents: 520, prepSeconds: 4, station: 'fry', available: true },
  { id: 'fish-and-chips', name: 'Fish and chips', priceCents: 1490, prepSeconds: 9, station: 'fry', available: true },
  { id: 'caesar-salad', name: 'Caesar salad', priceCents: 950, prepSeconds: 3, station: 'salad', available: true },
  { id: 'greek-salad', name: 'Greek salad', priceCents: 920, prepSeconds: 3, station: 'salad', available: true },
  { id: 'lemonade', name: 'Lemonade', priceCents: 350, prepSeconds: 1, station: 'drinks', available: true },
  { id: 'iced-tea', name: 'Iced tea', priceCents: 320, prepSeconds: 1, station: 'drinks', available: true },
  { id: 'espresso', name: 'Espresso', priceCents: 280, prepSeconds: 2, station: 'drinks', available: true },
  { id: 'cheesecake', name: 'Cheesecake', priceCents: 680, prepSeconds: 2, station: 'dessert', available: true },
  { id: 'truffle-pasta', name: 'Truffle pasta (seasonal)', priceCents: 1890, prepSeconds: 12, station: 'grill', available: false },
]

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
