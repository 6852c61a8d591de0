import type { Collection } from 'mongodb'
import type { MenuItem } from '@restaurant/contracts/menu'
import { isDuplicate } from '@restaurant/platform/stores/mongo-errors'

/** A state of an item and where the item sits in the menu (`position`: items are listed by it). */
export interface MenuItemState {
  item: MenuItem
  position: number
}

/** An item's current state, under `_id` = the item's id. */
export type MenuItemDocument = MenuItemState & { _id: string }

/** One state of an item under `_id` `{id}@{version}`, unique: each version of an item is written once. */
export type MenuVersionDocument = MenuItemState & { _id: string }

export const versionId = (item: Pick<MenuItem, 'id' | 'version'>) => `${item.id}@${item.version}`

/**
 * A version is won by inserting its document, whose `_id` is unique: an insert is atomic on every server that
 * speaks MongoDB's protocol (FerretDB 1.x's filtered update is a read, then a write, and two writers can both
 * match). The versions are the history; the current state is a copy of the latest, which the winner then writes.
 */
export function mongoMenuVersions(current: Collection<MenuItemDocument>, versions: Collection<MenuVersionDocument>) {
  /** Makes the state current unless a later one is; an upsert that finds the item at this version or later is refused as a duplicate. */
  const setCurrent = async ({ item, position }: MenuItemState): Promise<void> => {
    try {
      await current.updateOne({ _id: item.id, 'item.version': { $lt: item.version } }, { $set: { item, position } }, { upsert: true })
    } catch (error) {
      if (!isDuplicate(error)) throw error
    }
  }

  /**
   * Writes `state` as current, then each later version found, until there is none: so a winner that died before
   * writing the current state leaves it behind only until the next writer of that version loses and writes it,
   * and a write that landed late (FerretDB's update can match a state that has since changed) is followed by the
   * later ones. A lookup of an `_id` that is not there scans the versions on FerretDB 1.x: one per write.
   */
  const settle = async (state: MenuItemState): Promise<void> => {
    for (let next: MenuItemState | null = state; next; next = await versions.findOne({ _id: versionId({ id: next.item.id, version: next.item.version + 1 }) })) {
      await setCurrent(next)
    }
  }

  /** Takes the item's version and makes it current; false when another writer took that version first. */
  async function take(state: MenuItemState): Promise<boolean> {
    try {
      await versions.insertOne({ _id: versionId(state.item), ...state })
    } catch (error) {
      if (!isDuplicate(error)) throw error
      const won = await versions.findOne({ _id: versionId(state.item) })
      if (won) await settle(won)
      return false
    }
    await settle(state)
    return true
  }

  return { take }
}
