import { redactUrl } from '../runtime/wait-for.js'

/** The broker's members as AMQP_URL names them (validated by its pattern): one URL, or one per member, comma-separated. */
export function brokerUrls(list: string): string[] {
  return list.split(',')
}

/** A connection made to one of the members, and the members (passwords masked) that refused it first. */
export interface MemberConnection<T> {
  url: string
  connection: T
  refusedBy: string[]
}

interface Refusal {
  member: string
  reason: string
}

export interface MemberRotation {
  /**
   * Tries each member once, in turn, from the one after the member last connected to (the first member at
   * first), and resolves with the first connection made; rejects, naming every member's refusal, when none took it.
   */
  connectInTurn<T>(connect: (url: string) => Promise<T>): Promise<MemberConnection<T>>
}

/**
 * Which member a connection goes to next. After a loss it moves on to the next member, even when the one it
 * had is still up: a member that goes away is the common case, and every member serves every queue.
 */
export function memberRotation(urls: readonly string[]): MemberRotation {
  if (urls.length === 0) throw new Error('no broker member to connect to')
  let next = 0
  return {
    async connectInTurn(connect) {
      const refusals: Refusal[] = []
      for (let tried = 0; tried < urls.length; tried++) {
        const index = (next + tried) % urls.length
        const url = urls[index] as string
        try {
          const connection = await connect(url)
          next = (index + 1) % urls.length
          return { url, connection, refusedBy: refusals.map(({ member }) => member) }
        } catch (err) {
          refusals.push({ member: redactUrl(url), reason: err instanceof Error ? err.message : String(err) })
        }
      }
      throw new Error(`no member took the connection: ${refusals.map(({ member, reason }) => `${member} (${reason})`).join(', ')}`)
    },
  }
}
