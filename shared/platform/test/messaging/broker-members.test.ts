import t from 'tap'
import { brokerUrls, memberRotation } from '../../src/messaging/broker-members.js'

const members = ['amqp://guest:s3cret@127.0.0.1:5681', 'amqp://guest:s3cret@127.0.0.1:5682', 'amqp://guest:s3cret@127.0.0.1:5683']

/** A connect that refuses the members in `down` and records every member it was asked for. */
function connectExcept(down: Set<string>) {
  const asked: string[] = []
  const connect = async (url: string) => {
    asked.push(url)
    if (down.has(url)) throw new Error('connect ECONNREFUSED')
    return `connection to ${url}`
  }
  return { connect, asked }
}

t.test('AMQP_URL names one member, or several separated by commas, in order', async (t) => {
  t.same(brokerUrls('amqp://guest:guest@127.0.0.1:5672'), ['amqp://guest:guest@127.0.0.1:5672'])
  t.same(brokerUrls(members.join(',')), members)
})

t.test('the first connection goes to the first member', async (t) => {
  const { connect, asked } = connectExcept(new Set())
  const made = await memberRotation(members).connectInTurn(connect)
  t.same(made, { url: members[0], connection: `connection to ${members[0]}`, refusedBy: [] })
  t.same(asked, [members[0]])
})

t.test('a member that refuses is passed over at once for the next, and named with its password masked', async (t) => {
  const { connect, asked } = connectExcept(new Set([members[0] as string]))
  const made = await memberRotation(members).connectInTurn(connect)
  t.equal(made.url, members[1])
  t.same(made.refusedBy, ['amqp://guest:***@127.0.0.1:5681'])
  t.same(asked, members.slice(0, 2))
})

t.test('after a connection, the next one starts with the member after it, wrapping round', async (t) => {
  const rotation = memberRotation(members)
  const { connect } = connectExcept(new Set())
  const urls = []
  for (let i = 0; i < 4; i++) urls.push((await rotation.connectInTurn(connect)).url)
  t.same(urls, [...members, members[0]])
})

t.test('when every member refuses, each is tried once and the error names each refusal without passwords', async (t) => {
  const { connect, asked } = connectExcept(new Set(members))
  const refused = memberRotation(members).connectInTurn(connect)
  await t.rejects(refused, { message: /^no member took the connection: amqp:\/\/guest:\*\*\*@127\.0\.0\.1:5681 \(connect ECONNREFUSED\), .*5682.*, .*5683 \(connect ECONNREFUSED\)$/ })
  await refused.catch((err: Error) => t.notMatch(err.message, /s3cret/))
  t.same(asked, members)
})

t.test('a round that found every member down starts where it started: the rotation moves only on a connection', async (t) => {
  const down = new Set(members)
  const { connect, asked } = connectExcept(down)
  const rotation = memberRotation(members)
  await rotation.connectInTurn(connect).catch(() => undefined)
  down.delete(members[2] as string)
  asked.length = 0
  t.equal((await rotation.connectInTurn(connect)).url, members[2])
  t.same(asked, members)
})

t.test('a rotation over no member is refused when it is made', async (t) => {
  t.throws(() => memberRotation([]), /no broker member/)
})
