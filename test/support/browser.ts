import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { chromium, type Browser, type Page } from 'playwright-core'
import type { Test } from 'tap'

const root = join(import.meta.dirname, '..', '..')
export const screenshotDir = join(root, 'test-output', 'screenshots')

/** Debian's Chromium, headless, without the background traffic a test does not want. */
export async function launchBrowser(t: Test): Promise<Browser> {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  })
  t.teardown(() => browser.close())
  return browser
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(screenshotDir, { recursive: true })
  await page.screenshot({ path: join(screenshotDir, `${name}.png`), fullPage: true })
}

/** A page signed in through the development sign-in, as a guest or as staff. */
export async function signedInPage(browser: Browser, url: string, as: 'guest' | 'staff', viewport = { width: 1280, height: 900 }): Promise<Page> {
  const page = await browser.newPage({ viewport })
  await page.goto(url)
  await page.getByRole('button', { name: as === 'staff' ? 'Sign in as staff (development)' : 'Sign in as a guest (development)' }).click()
  return page
}

/** A page whose browser holds `token` as the page's sign-in for `role`, as a pasted token is kept (an admin has no development sign-in). */
export async function pageWithToken(browser: Browser, url: string, role: 'admin' | 'staff' | 'customer', token: string, viewport = { width: 1280, height: 900 }): Promise<Page> {
  const page = await browser.newPage({ viewport })
  await page.addInitScript(`localStorage.setItem(${JSON.stringify(`restaurant.token.${role}`)}, ${JSON.stringify(token)})`)
  await page.goto(url)
  return page
}
