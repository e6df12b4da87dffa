import fc from 'fast-check'

// Fragments bash would expand or choke on if quoting ever slipped.
const nasty = fc.constantFrom(
  "'",
  '"',
  '$(id)',
  '`id`',
  '\n',
  '\\',
  '$HOME',
  '${PATH}',
  '!',
  "'\\''",
  '%s',
  '\r',
  '\t',
  ' ',
  '*',
  '~',
  '\u00e9',
  '\u{1F600}',
  '$((1+1))',
  '<(x)',
  ';',
  '&',
  '|',
  '#',
)

/** Full-Unicode strings (any code point but NUL) salted with shell metacharacters. */
export const bashValue = fc
  .array(fc.oneof(nasty, fc.string({ unit: 'binary', maxLength: 8 })), { maxLength: 8 })
  .map((parts) => parts.join('').replaceAll('\0', ''))

/** The same, but with at least one NUL somewhere. */
export const withNul = fc.tuple(bashValue, bashValue).map(([a, b]) => `${a}\0${b}`)
