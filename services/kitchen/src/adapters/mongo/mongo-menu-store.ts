import { MongoClient, type Collection } from 'mongodb'
import type { MenuItem } from '@restaurant/contracts/menu'
import { isDuplicate } from '@restaurant/platform/stores/mongo-errors'
import type { MenuStore } from '../../use-cases/menu-store.js'
import { mongoMenuVersions, versionId, type MenuItemDocument, type MenuVersionDocument } from './mongo-menu-versions.js'

export interface MongoMenuStoreOptions {
  url: string
  dbName: string
  /** Tests use collections of their own: their names begin with it. */
  collectionPrefix?: string
}

/** The collections of the menu: current states, every version, and the record of the completed seed. */
export function menuCollectionsOf(prefix = '') {
  return { items: `${prefix}menu_items`, versions: `${prefix}menu_item_versions`, seed: `${prefix}menu_seed` }
}

type SeedDocument = { _id: 'seed'; seededAt: string }

/**
 * The MongoDB menu store: each version of an item is won by the insert of its document (mongo-menu-versions.ts),
 * which is also its history; the current states, one document per item, are what `items()` reads in one query.
 */
export async function createMongoMenuStore(options: MongoMenuStoreOptions): Promise<MenuStore> {
  const client = new MongoClient(options.url, { serverSelectionTimeoutMS: 5000, writeConcern: { w: 'majority' }, ignoreUndefined: true })
  await client.connect()
  const db = client.db(options.dbName)
  const names = menuCollectionsOf(options.collectionPrefix)
  const current = db.collection<MenuItemDocument>(names.items)
  const versions = db.collection<MenuVersionDocument>(names.versions)
  try {
    await versions.createIndex({ 'item.id': 1, 'item.version': 1 })
  } catch (error) {
    await client.close()
    throw error
  }
  const { take } = mongoMenuVersions(current, versions)
  return {
    items: async () => (await current.find({}).sort({ position: 1, _id: 1 }).toArray()).map((doc) => doc.item),
    seedIfEmpty: seeding(current, versions, db.collection<SeedDocument>(names.seed), take),
    async write(item) {
      const stored = await current.findOne({ _id: item.id })
      if ((stored?.item.version ?? 0) !== item.version - 1) return false
      // A new item goes after every item stored before it (the seed's are numbered from 0).
      return take({ item, position: stored?.position ?? Date.now() })
    },
    history: async (id) => (await versions.find({ 'item.id': id }).sort({ 'item.version': 1 }).toArray()).map((doc) => doc.item),
    close: () => client.close(),
  }
}

/**
 * Seeds an empty store, each item's first version taken as any write's is, then records the seed as complete
 * (that insert is the call's `true`). A kitchen that finds a seed begun (its first item stored) and not
 * complete finishes it, whether its writer is still at it or died: what is stored already is skipped.
 */
function seeding(
  current: Collection<MenuItemDocument>,
  versions: Collection<MenuVersionDocument>,
  seed: Collection<SeedDocument>,
  take: ReturnType<typeof mongoMenuVersions>['take'],
): MenuStore['seedIfEmpty'] {
  const seedBegun = async (first: MenuItem) => (await versions.findOne({ _id: versionId({ id: first.id, version: 1 }) }, { projection: { _id: 1 } })) !== null
  return async (items) => {
    const [first] = items
    if (first === undefined || (await seed.findOne({ _id: 'seed' })) !== null) return false
    if ((await current.findOne({}, { projection: { _id: 1 } })) !== null && !(await seedBegun(first))) return false
    for (const [position, item] of items.entries()) await take({ item, position })
    try {
      await seed.insertOne({ _id: 'seed', seededAt: new Date().toISOString() })
      return true
    } catch (error) {
      if (isDuplicate(error)) return false
      throw error
    }
  }
}
