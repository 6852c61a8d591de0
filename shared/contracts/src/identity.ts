import { Type, type Static } from 'typebox'

/** Who may do what: every credential carries one or more roles. */
export const roles = ['customer', 'staff', 'admin', 'partner'] as const
export const RoleSchema = Type.Enum(roles)
export type Role = Static<typeof RoleSchema>

/** A caller the gateway has authenticated; `subject` owns the orders it places. */
export const IdentitySchema = Type.Object({
  subject: Type.String({ minLength: 1, maxLength: 200 }),
  roles: Type.Array(RoleSchema, { maxItems: roles.length }),
})
export type Identity = Static<typeof IdentitySchema>

/** The caller of a public route that needs no credential. */
export const anonymous: Identity = { subject: 'anonymous', roles: [] }

/** Carries the verified identity from the gateway to the services (and from the waiter to the kitchen). */
export const IDENTITY_HEADER = 'x-restaurant-identity'
