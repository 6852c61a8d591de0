import { Type } from 'typebox'

// One or more http(s) URLs (host, port, an optional path), comma-separated, spaces around the commas allowed.
const ONE_URL = 'https?://[\\w.\\-\\[\\]:]+(/[^\\s,]*)?'
const URL_LIST = `^\\s*${ONE_URL}(\\s*,\\s*${ONE_URL})*\\s*$`

/**
 * A setting naming the replicas of one upstream service (`http://10.0.0.1:3001,http://10.0.0.2:3001`), checked
 * when the configuration is read; `upstreamUrls` turns its value into the list.
 */
export function upstreamListSetting(defaultUrl: string) {
  return Type.String({ pattern: URL_LIST, default: defaultUrl })
}

/** The replicas a list setting names, in its order, each as the origin (`protocol://host:port`) requests go to. */
export function upstreamUrls(setting: string): [string, ...string[]] {
  const [first, ...others] = setting
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry) => new URL(entry).origin)
  if (first === undefined) throw new Error('an upstream list names no URL')
  return [first, ...others]
}
