// Follows the menu as it changes: asks every `everyMs` with the ETag of the menu last seen, so that an unchanged
// menu costs a 304 and nothing else. `onMenu` is called with each new menu; `refresh()` asks at once.
export function followMenu(onMenu, everyMs = 2000) {
  let etag
  let timer
  const poll = async () => {
    clearTimeout(timer)
    try {
      const response = await fetch('/api/menu', { cache: 'no-store', headers: etag ? { 'if-none-match': etag } : {} })
      if (response.status === 200) {
        const menu = await response.json()
        etag = response.headers.get('etag') ?? undefined
        onMenu(menu)
      }
    } catch {
      // The menu stays as last shown; the next poll tries again.
    }
    timer = setTimeout(poll, everyMs)
  }
  poll()
  return { refresh: poll }
}

/** The items in the order of their categories' first appearance, as [category, items] pairs. */
export function byCategory(items) {
  const groups = new Map()
  for (const item of items) groups.set(item.category, [...(groups.get(item.category) ?? []), item])
  return [...groups]
}
