import { readFileSync } from 'node:fs'
import { Ajv2020 } from 'ajv/dist/2020.js'
import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020.js'

/** RunPod's published OpenAPI 3.1 document (see openapi/README.md for its origin). */
export const OPENAPI_DOCUMENT_URL = new URL('../openapi/runpod-openapi-v2.json', import.meta.url)

type Json = null | boolean | number | string | Json[] | { [key: string]: Json }
type JsonObject = { [key: string]: Json }

export interface SchemaCheck {
  valid: boolean
  /** One entry per violation, `<json path>: <message>`, the shape of the API's `errors`. */
  errors: string[]
}

export function loadOpenApiDocument(url: URL = OPENAPI_DOCUMENT_URL): JsonObject {
  return JSON.parse(readFileSync(url, 'utf8')) as JsonObject
}

const REF_PREFIX = '#/components/schemas/'

/**
 * A standalone 2020-12 schema for one component: the component itself plus every component
 * it references (transitively) under `$defs`, with `$ref`s rewritten to point there.
 */
export function componentSchema(doc: JsonObject, name: string): JsonObject {
  const components = ((doc['components'] as JsonObject | undefined)?.['schemas'] ?? {}) as JsonObject
  const defs: JsonObject = {}
  const rewrite = (node: Json): Json => {
    if (Array.isArray(node)) return node.map(rewrite)
    if (node === null || typeof node !== 'object') return node
    const out: JsonObject = {}
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string' && value.startsWith(REF_PREFIX)) {
        const target = value.slice(REF_PREFIX.length)
        include(target)
        out[key] = `#/$defs/${target}`
      } else {
        out[key] = rewrite(value)
      }
    }
    return out
  }
  const include = (target: string): void => {
    if (target in defs) return
    const schema = components[target]
    if (schema === undefined) throw new Error(`OpenAPI document has no schema ${target}`)
    defs[target] = {} // placeholder first: breaks reference cycles
    defs[target] = rewrite(schema)
  }
  include(name)
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $ref: `#/$defs/${name}`,
    $defs: defs,
  }
}

/**
 * Ajv in strict mode rejects unknown keywords and formats in the document. Two strict checks
 * are off because they flag valid 2020-12 the document relies on: strictTypes (it puts
 * `unevaluatedProperties` on `allOf` compositions without `type`) and strictRequired (its
 * `if`/`then` requires `image`, which is declared in an `allOf` branch, not beside `then`).
 */
export function compileComponent(doc: JsonObject, name: string): ValidateFunction {
  const ajv = new Ajv2020({ strict: true, strictTypes: false, strictRequired: false, allErrors: true, validateFormats: false })
  return ajv.compile(componentSchema(doc, name))
}

function jsonPath(instancePath: string): string {
  if (instancePath === '') return '$'
  return (
    '$' +
    instancePath
      .split('/')
      .slice(1)
      .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
      .map((part) => (/^\d+$/.test(part) ? `[${part}]` : /^[A-Za-z_$][\w$]*$/.test(part) ? `.${part}` : `[${JSON.stringify(part)}]`))
      .join('')
  )
}

/** Formats Ajv errors like the API's `errors` (e.g. `$: additional properties 'bogus' not allowed`). */
export function formatSchemaErrors(errors: readonly ErrorObject[] | null | undefined): string[] {
  const lines = new Set<string>()
  for (const error of errors ?? []) {
    const at = jsonPath(error.instancePath)
    const params = error.params as Record<string, unknown>
    if (error.keyword === 'unevaluatedProperties' || error.keyword === 'additionalProperties') {
      const prop = String(params['unevaluatedProperty'] ?? params['additionalProperty'])
      lines.add(`${at}: additional properties '${prop}' not allowed`)
    } else if (error.keyword === 'enum') {
      const allowed = (params['allowedValues'] as unknown[] | undefined) ?? []
      lines.add(`${at}: must be one of ${allowed.map((v) => JSON.stringify(v)).join(', ')}`)
    } else if (error.keyword === 'required') {
      lines.add(`${at}: missing property '${String(params['missingProperty'])}'`)
    } else if (error.keyword === 'if' || error.keyword === 'allOf') {
      // Summary errors that only repeat the specific ones above.
    } else {
      lines.add(`${at}: ${error.message ?? error.keyword}`)
    }
  }
  return [...lines]
}

/** A checker for one component of the document, e.g. `CreatePodRequest`. */
export function componentChecker(name: string, doc: JsonObject = loadOpenApiDocument()): (value: unknown) => SchemaCheck {
  const validate = compileComponent(doc, name)
  return (value) => {
    const valid = validate(value)
    return { valid, errors: valid ? [] : formatSchemaErrors(validate.errors) }
  }
}

// A cache of validators compiled from the checked-in document: pure, so safe to share.
const compiled = new Map<string, (value: unknown) => SchemaCheck>()

function checkComponent(name: string, value: unknown): SchemaCheck {
  let check = compiled.get(name)
  if (check === undefined) {
    check = componentChecker(name)
    compiled.set(name, check)
  }
  return check(value)
}

/** Schema-only check of a `POST /v2/pods` body (what the API answers 422 for). */
export function checkCreatePodSchema(body: unknown): SchemaCheck {
  return checkComponent('CreatePodRequest', body)
}

/** Schema-only check of a `POST /v2/pods/{id}/action` body. */
export function checkPodActionSchema(body: unknown): SchemaCheck {
  return checkComponent('PodActionRequest', body)
}
