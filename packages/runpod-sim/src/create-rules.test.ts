import { describe, expect, it } from 'vitest'
import { validateCreatePodBody } from './create-rules.ts'
import { componentSchema, loadOpenApiDocument } from './openapi-schema.ts'
import { CAPACITY_WORDINGS } from './problem.ts'
import { exampleBody } from './testing.ts'

describe('validateCreatePodBody', () => {
  it("accepts the RUNPOD.md example body and the document's own example", () => {
    expect(validateCreatePodBody(exampleBody())).toMatchObject({ valid: true })
    expect(
      validateCreatePodBody({
        name: 'pytorch-training',
        image: 'runpod/pytorch:1.0.2-cu1281-torch280-ubuntu2404',
        gpu: { id: 'NVIDIA GeForce RTX 4090', count: 1 },
        disk: 50,
      }),
    ).toMatchObject({ valid: true })
  })

  it('rejects a body without gpu (nor cpu) with a 400', () => {
    const { gpu: _gpu, ...body } = exampleBody()
    expect(validateCreatePodBody(body)).toMatchObject({ valid: false, status: 400 })
  })

  it('rejects unknown properties, top level and nested, with 422 and their paths', () => {
    const result = validateCreatePodBody(exampleBody({ bogus: 1, gpu: { id: 'NVIDIA GeForce RTX 4090', count: 1, gpuTypeId: 'x' } }))
    expect(result).toMatchObject({ valid: false, status: 422 })
    expect(result.errors).toEqual(
      expect.arrayContaining(["$: additional properties 'bogus' not allowed", "$.gpu: additional properties 'gpuTypeId' not allowed"]),
    )
  })

  it('rejects an unknown cloud, a non-string env value and a missing image with 422', () => {
    const result = validateCreatePodBody(exampleBody({ cloud: 'PUBLIC', env: { A: 1 }, image: undefined }))
    expect(result).toMatchObject({ valid: false, status: 422 })
    expect(result.errors).toEqual(
      expect.arrayContaining(['$.cloud: must be one of "SECURE", "COMMUNITY"', '$.env.A: must be string', "$: missing property 'image'"]),
    )
  })

  it("answers a missing gpu.count with the real API's misleading capacity 400", () => {
    const result = validateCreatePodBody(exampleBody({ gpu: { id: 'NVIDIA GeForce RTX 4090' } }))
    expect(result).toEqual({ valid: false, status: 400, detail: CAPACITY_WORDINGS[0], errors: [] })
  })

  it("enforces the document's prose rules as 400s", () => {
    const both = exampleBody({ gpu: { id: 'x', count: 1, allowedCudaVersions: ['12.4'], minCudaVersion: '12.1' } })
    expect(validateCreatePodBody(both)).toMatchObject({ valid: false, status: 400 })
    const gpuAndCpu = exampleBody({ cpu: { id: 'cpu5c', vcpuCount: 4 } })
    expect(validateCreatePodBody(gpuAndCpu)).toMatchObject({ valid: false, status: 400 })
  })

  it("compiles the document's CreatePodRequest, which closes the body itself", () => {
    const schema = componentSchema(loadOpenApiDocument(), 'CreatePodRequest')
    const defs = schema['$defs'] as Record<string, Record<string, unknown>>
    expect(defs['CreatePodRequest']?.['unevaluatedProperties']).toBe(false)
    expect(defs['CreateGpuConfig']?.['unevaluatedProperties']).toBe(false)
    expect(Object.keys(defs).sort()).toContain('Mounts')
  })
})
