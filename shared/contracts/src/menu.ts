import { Type, type Static } from 'typebox'
import { Value } from 'typebox/value'
import seedMenuData from './menu.json' with { type: 'json' }

/** The menu: the one place where dishes, prices, stations and preparation times are defined. */
export const stations = ['grill', 'fry', 'salad', 'drinks', 'dessert'] as const
export const StationSchema = Type.Enum(stations)
export type Station = Static<typeof StationSchema>

const Id = Type.String({ minLength: 1, maxLength: 64, pattern: '^[a-z0-9-]+$' })
const Name = Type.String({ minLength: 1, maxLength: 100 })
const Timestamp = Type.String({ format: 'date-time' })

export const MenuOptionSchema = Type.Object(
  {
    id: { ...Id, description: 'Unique among the options of its item: an order names its choices by it' },
    name: Name,
    priceDeltaCents: Type.Integer({ minimum: 0, maximum: 100_000, description: 'Added to the unit price when chosen' }),
    prepSecondsDelta: Type.Number({ minimum: 0, maximum: 600, description: 'Added to the unit preparation time when chosen' }),
  },
  { additionalProperties: false },
)
export type MenuOption = Static<typeof MenuOptionSchema>

export const OptionGroupSchema = Type.Object(
  {
    id: Id,
    name: Name,
    minChoices: Type.Integer({ minimum: 0, maximum: 20, description: 'At least this many of its options are chosen (1 or more: the choice is required)' }),
    maxChoices: Type.Integer({ minimum: 1, maximum: 20 }),
    options: Type.Array(MenuOptionSchema, { minItems: 1, maxItems: 20 }),
  },
  { additionalProperties: false },
)
export type OptionGroup = Static<typeof OptionGroupSchema>

/** What an admin sets on an item; every field of it may be changed. */
export const MenuItemFields = {
  name: Name,
  description: Type.String({ maxLength: 500 }),
  category: Name,
  priceCents: Type.Integer({ minimum: 0, maximum: 1_000_000 }),
  prepSeconds: Type.Number({ minimum: 0, maximum: 3_600 }),
  station: StationSchema,
  available: Type.Boolean({ description: 'False: sold out for now; new orders for it are refused, queued ones rejected' }),
  optionGroups: Type.Array(OptionGroupSchema, { maxItems: 10 }),
}

/** A new item, as an admin creates it (and as the seed menu lists them). */
export const NewMenuItemSchema = Type.Object({ id: Id, ...MenuItemFields }, { additionalProperties: false })
export type NewMenuItem = Static<typeof NewMenuItemSchema>

/** A change to an item: the fields to set, at least one. */
export const MenuItemChangesSchema = Type.Partial(Type.Object(MenuItemFields), { additionalProperties: false, minProperties: 1 })
export type MenuItemChanges = Static<typeof MenuItemChangesSchema>

export const MenuItemSchema = Type.Object({
  id: Id,
  ...MenuItemFields,
  retired: Type.Boolean({ description: 'Retired items cannot be ordered, and are kept so that old orders still read' }),
  version: Type.Integer({ minimum: 1, description: "Counts the item's changes: send it as `If-Match` to change the item" }),
  changedBy: Type.String({ description: 'Who made the latest change (JWT `sub`, `key:{id}`, or `seed`)' }),
  changedAt: Timestamp,
})
export type MenuItem = Static<typeof MenuItemSchema>

/**
 * The menu. Its `version` counts every change of every item (the sum of their versions), so it only grows, by one
 * a change, and two readers that hold the same version hold the same menu.
 */
export const MenuSchema = Type.Object({
  version: Type.Integer({ minimum: 0 }),
  items: Type.Array(MenuItemSchema),
})
export type Menu = Static<typeof MenuSchema>

export const SEED_CHANGED_AT = '2026-01-01T00:00:00.000Z'

/** The seed menu is data (menu.json); checked against the schema when loaded, so a bad edit fails at start-up. */
export const seedMenu: readonly NewMenuItem[] = Value.Parse(Type.Array(NewMenuItemSchema), seedMenuData)

/** An item as first stored. */
export function firstVersion(item: NewMenuItem, changedBy: string, changedAt: string): MenuItem {
  return { ...item, retired: false, version: 1, changedBy, changedAt }
}

// The seed menu as first stored; the stores seed from it.
export const menu: readonly MenuItem[] = seedMenu.map((item) => firstVersion(item, 'seed', SEED_CHANGED_AT))

export function menuVersionOf(items: readonly Pick<MenuItem, 'version'>[]): number {
  return items.reduce((sum, item) => sum + item.version, 0)
}

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
  if (!item || item.retired) return 'not on the menu'
  return item.available ? undefined : 'sold out'
}

/** The menu with staff's changes applied: `overrides` maps an item id to whether it is available now. */
export function withAvailability(items: readonly MenuItem[], overrides: Readonly<Record<string, boolean>>): MenuItem[] {
  return items.map((item) => {
    const available = overrides[item.id]
    return available === undefined ? item : { ...item, available }
  })
}

/**
 * The menu with a new state of one item, as a copy of it applies a change: an older state than the one held is
 * ignored (the same menu comes back); `undefined` means a change was missed in between (a gap), and the copy must
 * load the whole menu again.
 */
export function applyItemChange(items: readonly MenuItem[], item: MenuItem): MenuItem[] | undefined {
  const index = items.findIndex((held) => held.id === item.id)
  const held = items[index]
  if (held && item.version <= held.version) return [...items]
  if (item.version !== (held?.version ?? 0) + 1) return undefined
  return held ? items.with(index, item) : [...items, item]
}

/** Two readings of the menu merged: each item at the newer of its two states (items are retired, never removed). */
export function newerOfEach(held: readonly MenuItem[], loaded: readonly MenuItem[]): MenuItem[] {
  const merged = loaded.map((item) => {
    const mine = findMenuItem(held, item.id)
    return mine && mine.version > item.version ? mine : item
  })
  return [...merged, ...held.filter((item) => !findMenuItem(loaded, item.id))]
}
