import t, { type Test } from 'tap'
import { buildHttpServer } from '@restaurant/platform/http/server'
import { createLogger } from '@restaurant/platform/runtime/logger'
import { registerStaticPages } from '../../src/pages/static-pages.js'

async function pages(t: Test) {
  const app = await buildHttpServer(createLogger({ name: 'test', level: 'silent', pretty: false }))
  await registerStaticPages(app)
  t.teardown(() => app.close())
  return app
}

t.test('the menu page is served at /, the kitchen pass at /board and the menu admin at /admin, as HTML', async (t) => {
  const app = await pages(t)
  const bodies = new Set<string>()
  for (const url of ['/', '/board', '/admin']) {
    const response = await app.inject({ url })
    t.equal(response.statusCode, 200, url)
    t.match(response.headers['content-type'], /^text\/html/, url)
    t.match(response.body, /<html/i, url)
    bodies.add(response.body)
  }
  t.equal(bodies.size, 3, 'three different pages')
  t.match((await app.inject({ url: '/admin' })).body, /<script type="module" src="\/admin.js">/, 'the admin page runs its own script')
})

t.test('the pages’ scripts and styles are served beside them', async (t) => {
  const app = await pages(t)
  for (const file of ['/menu.js', '/board.js', '/admin.js', '/item-editor.js', '/style.css']) t.equal((await app.inject({ url: file })).statusCode, 200, file)
})

t.test('a path that is not one of the files is a 404', async (t) => {
  const app = await pages(t)
  t.equal((await app.inject({ url: '/no-such-page.html' })).statusCode, 404)
  t.equal((await app.inject({ url: '/../package.json' })).statusCode, 404)
})
