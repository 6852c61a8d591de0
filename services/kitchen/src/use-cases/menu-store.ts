import type { MenuItem } from '@restaurant/contracts/menu'

/**
 * Where the kitchen keeps the menu it owns: every item, retired ones included, and every state each item has had
 * (its history). The embedded and MongoDB adapters both pass the same contract suite.
 */
export interface MenuStore {
  /** Every item, retired ones included, in the order they were first stored. */
  items(): Promise<MenuItem[]>
  /**
   * Stores the seed items, as given (each its first version), when the store holds no item at all; true for the
   * one call, across every kitchen starting at once, that stored them. A seed cut short by a crash is finished by
   * the next call.
   */
  seedIfEmpty(items: readonly MenuItem[]): Promise<boolean>
  /**
   * Stores a new state of an item, whose `version` is one more than the stored one's (1 for an item not stored
   * yet), and keeps it in the item's history. Of concurrent writers of one version, exactly one wins, on every
   * store; the others get false and store nothing. A write of any other version (1 for a stored item, or one
   * that skips a version) is false too: the history never has a gap.
   */
  write(item: MenuItem): Promise<boolean>
  /** The item's states, oldest first (empty for an item never stored). */
  history(id: string): Promise<MenuItem[]>
  close(): Promise<void>
}
