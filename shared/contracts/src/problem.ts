import { Type, type Static } from 'typebox'
import { MenuItemSchema } from './menu.js'

/** RFC 9457 problem details: every error response of every service has this shape. */
export const Problem = Type.Object({
  type: Type.String(),
  title: Type.String(),
  status: Type.Integer(),
  code: Type.String({ description: 'Stable machine-readable code, also the last segment of `type`' }),
  detail: Type.Optional(Type.String()),
  instance: Type.Optional(Type.String()),
  invalidParams: Type.Optional(Type.Array(Type.Object({ in: Type.String(), name: Type.String(), reason: Type.String() }))),
  currentStatus: Type.Optional(Type.String()),
  current: Type.Optional({ ...MenuItemSchema, description: 'On a stale edit (412): the item as it stands now' }),
})
export type Problem = Static<typeof Problem>
export type InvalidParam = NonNullable<Problem['invalidParams']>[number]

export const PROBLEM_CONTENT_TYPE = 'application/problem+json'

export function buildProblem(status: number, code: string, title: string, extras: Partial<Problem> = {}): Problem {
  return { type: `/problems/${code}`, title, status, code, ...extras }
}
