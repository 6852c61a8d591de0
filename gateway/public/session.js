// The signed-in person: a token kept in this browser only. No secret ships with the page: a token is
// pasted (from `npm start` or `npm run token`), or, on a development stack, requested from /auth/dev-token.
const storageKey = (role) => `restaurant.token.${role}`

export function tokenFor(role) {
  return localStorage.getItem(storageKey(role)) ?? undefined
}

export function signOut(role) {
  localStorage.removeItem(storageKey(role))
}

export function keepToken(role, token) {
  localStorage.setItem(storageKey(role), token.trim())
}

/** A development token from the gateway, when the stack allows it (DEV_SIGN_IN). */
export async function devSignIn(role, subject) {
  const response = await fetch('/auth/dev-token', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ role, subject }),
  })
  if (!response.ok) throw new Error('development sign-in is off on this stack: paste a token instead')
  const { token } = await response.json()
  keepToken(role, token)
  return token
}

/** Calls the API with the token; throws an Error carrying the problem's title on a failure. */
export async function api(token, path, { method = 'GET', body, headers = {} } = {}) {
  const response = await fetch(path, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  })
  const payload = await response.json().catch(() => undefined)
  if (!response.ok) throw Object.assign(new Error(payload?.title ?? `status ${response.status}`), { status: response.status, problem: payload })
  return payload
}

export const money = (cents) => (cents / 100).toLocaleString(undefined, { style: 'currency', currency: 'EUR' })
export const statusOrder = ['placed', 'accepted', 'cooking', 'ready']
export const rankOf = (status) => ({ placed: 0, accepted: 1, cooking: 2, ready: 3, rejected: 3, cancelled: 3, failed: 3 })[status] ?? -1
export const isTerminal = (status) => rankOf(status) === 3

/** What a failed call says went wrong: each invalid field with its reason, else the problem's title. */
export const problemText = (err) => err.problem?.invalidParams?.map((param) => `${param.reason} (${param.name})`).join('; ') || err.message

/** A token's claims, read (not verified: the API checks it) to tell the person what a page lets them do, and when. */
function claimsOf(token) {
  try {
    return JSON.parse(atob(token.split('.')[1].replaceAll('-', '+').replaceAll('_', '/')))
  } catch {
    return {}
  }
}

export function rolesOf(token) {
  const { roles } = claimsOf(token)
  return Array.isArray(roles) ? roles : []
}

/**
 * Renews the `role`'s token, for the same subject, before it ends (a tenth of its life before, at most a minute), from the development
 * sign-in where the stack has one, and hands each new token to `onRenewed`; where it has none, `onEnding` asks the
 * person for a new one. The gateway ends an event stream when its token does: the page resumes it with the new one.
 */
export function renewBeforeEnd(role, { onRenewed, onEnding }) {
  // The same subject: a customer's orders are theirs by it.
  const { sub, iat, exp } = claimsOf(tokenFor(role) ?? '')
  if (typeof iat !== 'number' || typeof exp !== 'number') return
  const ahead = Math.min(60_000, ((exp - iat) * 1000) / 10)
  setTimeout(async () => {
    try {
      onRenewed(await devSignIn(role, sub))
      renewBeforeEnd(role, { onRenewed, onEnding })
    } catch {
      onEnding()
    }
  }, Math.max(0, exp * 1000 - ahead - Date.now()))
}
