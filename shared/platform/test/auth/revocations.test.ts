import t from 'tap'
import { isTokenRevoked } from '../../src/auth/revocations.js'

const revokedAtMs = Date.parse('2026-01-02T03:04:05.700Z')
const issuedAt = (iso: string) => Date.parse(iso) / 1000

t.test('a token revoked by its id is revoked, whatever its subject', async (t) => {
  t.ok(isTokenRevoked({ issuedAt: 0 }, { tokenRevoked: true }))
  t.notOk(isTokenRevoked({ issuedAt: 0 }, { tokenRevoked: false }))
})

t.test("a subject's revocation revokes its tokens issued before it, and not those issued after", async (t) => {
  t.ok(isTokenRevoked({ issuedAt: issuedAt('2026-01-02T03:00:00Z') }, { subjectRevokedAtMs: revokedAtMs, tokenRevoked: false }))
  t.notOk(isTokenRevoked({ issuedAt: issuedAt('2026-01-02T03:04:06Z') }, { subjectRevokedAtMs: revokedAtMs, tokenRevoked: false }), 'the next second')
})

t.test('a token issued within the second of its subject\'s revocation is revoked: `iat` cannot say which came first', async (t) => {
  t.ok(isTokenRevoked({ issuedAt: issuedAt('2026-01-02T03:04:05Z') }, { subjectRevokedAtMs: revokedAtMs, tokenRevoked: false }))
})
