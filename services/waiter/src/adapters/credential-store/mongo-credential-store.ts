import type { Collection } from 'mongodb'
import type { StoredApiKey } from '@restaurant/platform/auth/api-keys'
import type { SubjectRevocation, TokenRevocation } from '@restaurant/platform/auth/revocations'
import { connectStore, type StoreIndex } from '@restaurant/platform/stores/mongo-connection'
import { isDuplicate } from '@restaurant/platform/stores/mongo-errors'
import type { CredentialStore } from '../../use-cases/credential-store.js'

type KeyDocument = { _id: string; createdAt: string; apiKey: StoredApiKey['apiKey']; hash: string }
type SubjectDocument = { _id: string; revokedAt: string }
type TokenDocument = { _id: string; expiresAt: string; revokedAt: string }

export const credentialCollections = { keys: 'api_keys', subjects: 'subject_revocations', tokens: 'token_revocations' } as const

const INDEXES: readonly StoreIndex[] = [
  { collection: credentialCollections.keys, key: { createdAt: 1, _id: 1 } },
  { collection: credentialCollections.tokens, key: { expiresAt: 1 } },
]

const keyOf = ({ apiKey, hash }: KeyDocument): StoredApiKey => ({ apiKey, hash })
const subjectOf = ({ _id, revokedAt }: SubjectDocument): SubjectRevocation => ({ subject: _id, revokedAt })
const tokenOf = ({ _id, expiresAt, revokedAt }: TokenDocument): TokenRevocation => ({ tokenId: _id, expiresAt, revokedAt })

/** The MongoDB credential store: a document per key, per revoked subject and per revoked token. */
export async function createMongoCredentialStore({ url, dbName }: { url: string; dbName: string }): Promise<CredentialStore> {
  const { client, db } = await connectStore(url, dbName, INDEXES)
  const keys = db.collection<KeyDocument>(credentialCollections.keys)
  const subjects = db.collection<SubjectDocument>(credentialCollections.subjects)
  const tokens = db.collection<TokenDocument>(credentialCollections.tokens)
  const key = async (id: string) => {
    const found = await keys.findOne({ _id: id })
    return found ? keyOf(found) : undefined
  }
  return {
    addKey: async ({ apiKey, hash }) => void (await keys.insertOne({ _id: apiKey.id, createdAt: apiKey.createdAt, apiKey, hash })),
    key,
    keys: async () => (await keys.find({}).sort({ createdAt: 1, _id: 1 }).toArray()).map(keyOf),
    async revokeKey(id, at) {
      await keys.updateOne({ _id: id, 'apiKey.revokedAt': { $exists: false } }, { $set: { 'apiKey.revokedAt': at } })
      return key(id)
    },
    revokeSubject: (revocation) => laterSubjectRevocation(subjects, revocation),
    revokeToken: (revocation) => firstTokenRevocation(tokens, revocation),
    revocations: async (now) => ({
      subjects: (await subjects.find({}).sort({ _id: 1 }).toArray()).map(subjectOf),
      tokens: (await tokens.find({ expiresAt: { $gt: now.toISOString() } }).sort({ expiresAt: 1, _id: 1 }).toArray()).map(tokenOf),
    }),
    async revocationOf({ subject, tokenId }, now) {
      const bySubject = await subjects.findOne({ _id: subject })
      const byToken = tokenId === undefined ? null : await tokens.findOne({ _id: tokenId })
      return { subjectRevokedAtMs: bySubject ? Date.parse(bySubject.revokedAt) : undefined, tokenRevoked: byToken !== null && byToken.expiresAt > now.toISOString() }
    },
    close: () => client.close(),
  }
}

/** `$max` keeps the later of two revocations of one subject, whichever lands last. */
async function laterSubjectRevocation(subjects: Collection<SubjectDocument>, { subject, revokedAt }: SubjectRevocation): Promise<SubjectRevocation> {
  await subjects.updateOne({ _id: subject }, { $max: { revokedAt } }, { upsert: true })
  const stored = await subjects.findOne({ _id: subject })
  return stored ? subjectOf(stored) : { subject, revokedAt }
}

/** A token revoked twice keeps its first revocation: the insert of the second is refused by the unique `_id`. */
async function firstTokenRevocation(tokens: Collection<TokenDocument>, revocation: TokenRevocation): Promise<TokenRevocation> {
  try {
    await tokens.insertOne({ _id: revocation.tokenId, expiresAt: revocation.expiresAt, revokedAt: revocation.revokedAt })
    return revocation
  } catch (err) {
    const stored = isDuplicate(err) ? await tokens.findOne({ _id: revocation.tokenId }) : null
    if (!stored) throw err
    return tokenOf(stored)
  }
}
