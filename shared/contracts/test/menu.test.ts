import t from 'tap'
import { menu, whyUnorderable, withAvailability } from '../src/menu.js'

t.test('an item on the menu and available may be ordered', async (t) => {
  t.equal(whyUnorderable(menu, 'fries'), undefined)
})

t.test('an item staff marked sold out is refused as sold out', async (t) => {
  t.equal(whyUnorderable(withAvailability(menu, { fries: false }), 'fries'), 'sold out')
})

t.test('an item that is not on the menu is refused as such, not as sold out', async (t) => {
  t.equal(whyUnorderable(menu, 'lobster'), 'not on the menu')
})

t.test('staff can bring a sold-out item back, and other items keep their availability', async (t) => {
  const changed = withAvailability(menu, { 'truffle-pasta': true })
  t.equal(whyUnorderable(changed, 'truffle-pasta'), undefined)
  t.same(changed.filter((item) => item.id !== 'truffle-pasta'), menu.filter((item) => item.id !== 'truffle-pasta'))
})
