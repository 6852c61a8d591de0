import type { Figure } from './stats.js'

/** A number with `places` decimals and thousands separators, or n/a. */
export const digits = (value: number, places: number) =>
  Number.isFinite(value) ? value.toLocaleString('en-US', { minimumFractionDigits: places, maximumFractionDigits: places }) : 'n/a'

/** A figure as `median (min–max)`. */
export const show = (figure: Figure | undefined, places = 0) =>
  figure ? `${digits(figure.median, places)} (${digits(figure.min, places)}–${digits(figure.max, places)})` : 'n/a'
