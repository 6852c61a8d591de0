import { applyItemChange, menuVersionOf, newerOfEach, type Menu, type MenuItem } from '@restaurant/contracts/menu'
import type { Logger } from 'pino'
import { DependencyUnavailableError } from '../runtime/errors.js'

const FIRST_LOAD_RETRY_MS = 1_000

export interface MenuCopyOptions {
  /** The owner's whole menu. */
  load: () => Promise<readonly MenuItem[]>
  /** Calls `onChange` with every item the owner changes from now on, and `onSubscribed` each time that begins anew. */
  follow: (onChange: (item: MenuItem) => Promise<void>, onSubscribed: () => void) => Promise<void>
  /** How often the whole menu is loaded again anyway: what a change lost on the way leaves stale at most this long. */
  reloadEveryMs: number
  log: Logger
}

export interface MenuCopy {
  /** The menu as this instance holds it; throws DependencyUnavailableError until it was first loaded. */
  current(): Menu
  /** Takes in a state of an item (one this instance just had the owner store: read your own writes). */
  apply(item: MenuItem): void
  /** Whether the menu has been loaded: what `/ready` asks. */
  loaded(): boolean
  close(): void
}

/**
 * A copy of the menu kept by every instance that prices or cooks orders: loaded whole at start (retried until the
 * owner answers), then changed item by item as the owner's `menu.changed` messages come, loaded whole again when
 * one was missed (a gap in an item's versions), when the subscription begins anew, and every `reloadEveryMs`.
 */
export async function keepMenuCopy({ load, follow, reloadEveryMs, log }: MenuCopyOptions): Promise<MenuCopy> {
  let items: readonly MenuItem[] | undefined
  let reloading: Promise<void> | undefined
  let closed = false
  const failing = onceUntilFixed(log)
  const reload = (): Promise<void> =>
    (reloading ??= load()
      .then((loaded) => {
        items = newerOfEach(items ?? [], loaded)
        failing.fixed(items.length)
      })
      .catch((err: unknown) => {
        failing.failed(err, items === undefined)
        // Until a first load, nothing can be priced: try again soon rather than at the next reload.
        if (!items && !closed) setTimeout(() => void reload(), FIRST_LOAD_RETRY_MS).unref()
      })
      .finally(() => (reloading = undefined)))

  function apply(item: MenuItem): void {
    const changed = items && applyItemChange(items, item)
    if (changed) items = changed
    else void reload()
  }
  await follow(async (item) => apply(item), () => void reload())
  await reload()
  const timer = setInterval(() => void reload(), reloadEveryMs).unref()
  return {
    current() {
      if (!items) throw new DependencyUnavailableError('the menu')
      return { version: menuVersionOf(items), items: [...items] }
    },
    apply,
    loaded: () => items !== undefined,
    close() {
      closed = true
      clearInterval(timer)
    },
  }
}

/**
 * Logs the first failure of a run of failed loads, and the load that ends it: a kitchen that is not up yet when the
 * waiter starts is a wait (one line, no stack), not an error per retry.
 */
function onceUntilFixed(log: Logger) {
  let failing = false
  return {
    failed(err: unknown, neverLoaded: boolean) {
      if (failing) return
      failing = true
      const reason = err instanceof Error ? err.message : String(err)
      // The message every start-up wait logs (wait-for.ts), so that the launcher shows it once.
      if (neverLoaded) log.warn({ dependency: 'the menu from the kitchen', hint: 'orders are refused (503) until it comes', err: reason }, 'waiting for a dependency to start')
      else log.warn({ err: reason }, 'could not reload the menu; keeping the copy held')
    },
    fixed(items: number) {
      if (failing) log.info({ items }, 'menu loaded')
      failing = false
    },
  }
}
