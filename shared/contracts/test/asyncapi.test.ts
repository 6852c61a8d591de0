import t from 'tap'
import { buildAsyncApiDocument } from '../src/asyncapi.js'
import { topologyFor } from '../src/messages.js'

t.test('every queue of the topology is a channel, with an operation for its sender and one for its receiver', async (t) => {
  const topology = topologyFor('docs')
  const document = buildAsyncApiDocument(topology)
  t.equal(document.asyncapi, '3.0.0')
  t.equal(Object.keys(document.channels).length, Object.keys(topology.queues).length)
  t.equal(Object.keys(document.operations).length, 2 * Object.keys(topology.queues).length)
})

t.test("the document names the topology's dead-letter exchange", async (t) => {
  t.match(buildAsyncApiDocument(topologyFor('docs')).info.description, 'docs.dead-letter')
})
