import type { Test } from 'tap'
import { mintApiKey } from '@restaurant/platform/auth/api-keys'
import type { CredentialStore } from '../../../src/use-cases/credential-store.js'

export interface CredentialStoreHarness {
  /** A store over data of its own, and a way to open it again over the same data. */
  makeStore(t: Test): Promise<{ store: CredentialStore; reopen: () => Promise<CredentialStore> }>
}

const at = (minutes: number) => new Date(Date.UTC(2026, 0, 2, 3, minutes)).toISOString()
const key = (name: string, minutes: number) => mintApiKey({ name, roles: ['customer'] }, new Date(at(minutes))).stored

/** The invariants every credential store keeps: what is stored stays (across a reopen), and no revocation is undone. */
export function credentialStoreContract(t: Test, { makeStore }: CredentialStoreHarness): void {
  t.test('keys are kept with their hash, listed oldest first, and found again after a reopen', async (t) => {
    const { store, reopen } = await makeStore(t)
    const [older, newer] = [key('older', 1), key('newer', 2)]
    await store.addKey(newer)
    await store.addKey(older)
    t.same(await (await reopen()).keys(), [older, newer])
    t.same(await store.key(newer.apiKey.id), newer)
    t.equal(await store.key('0'.repeat(12)), undefined)
  })

  t.test('a key is revoked once: revoking it again keeps its first revocation time; an unknown key is none', async (t) => {
    const { store } = await makeStore(t)
    const till = key('till', 1)
    await store.addKey(till)
    t.same(await store.revokeKey(till.apiKey.id, at(5)), { ...till, apiKey: { ...till.apiKey, revokedAt: at(5) } })
    t.equal((await store.revokeKey(till.apiKey.id, at(9)))?.apiKey.revokedAt, at(5))
    t.equal(await store.revokeKey('0'.repeat(12), at(5)), undefined)
  })

  t.test("a subject's revocation only moves later", async (t) => {
    const { store } = await makeStore(t)
    t.same(await store.revokeSubject({ subject: 'alice', revokedAt: at(5) }), { subject: 'alice', revokedAt: at(5) })
    t.same(await store.revokeSubject({ subject: 'alice', revokedAt: at(3) }), { subject: 'alice', revokedAt: at(5) }, 'an earlier one changes nothing')
    t.same(await store.revokeSubject({ subject: 'alice', revokedAt: at(7) }), { subject: 'alice', revokedAt: at(7) })
    t.same((await store.revocations(new Date(at(0)))).subjects, [{ subject: 'alice', revokedAt: at(7) }])
  })

  t.test('a revoked token keeps its first revocation, and is listed until it expires', async (t) => {
    const { store } = await makeStore(t)
    const first = { tokenId: 'token-1', expiresAt: at(30), revokedAt: at(5) }
    t.same(await store.revokeToken(first), first)
    t.same(await store.revokeToken({ ...first, revokedAt: at(6) }), first)
    t.same((await store.revocations(new Date(at(29)))).tokens, [first])
    t.same((await store.revocations(new Date(at(30)))).tokens, [], 'gone once the token has expired')
  })

  t.test("what the store says of one token: its subject's revocation time and whether its id is revoked", async (t) => {
    const { store } = await makeStore(t)
    await store.revokeSubject({ subject: 'alice', revokedAt: at(5) })
    await store.revokeToken({ tokenId: 'token-1', expiresAt: at(30), revokedAt: at(5) })
    t.same(await store.revocationOf({ subject: 'alice', tokenId: 'token-2', issuedAt: 0 }, new Date(at(10))), { subjectRevokedAtMs: Date.parse(at(5)), tokenRevoked: false })
    t.match(await store.revocationOf({ subject: 'bob', tokenId: 'token-1', issuedAt: 0 }, new Date(at(10))), { subjectRevokedAtMs: undefined, tokenRevoked: true })
    t.match(await store.revocationOf({ subject: 'bob', issuedAt: 0 }, new Date(at(10))), { tokenRevoked: false })
  })
}
