import { buildDeploymentScript, DeploymentSpecSchema, type ScriptDefaults } from '@podlaunch/script'
import { describe, expect, it } from 'vitest'
import { EMPTY_FORM, fieldKey, formToSpecInput, validateSpecForm, type SpecFormState } from './spec-form.ts'

const datasetId = '7d8f8f5e-2b8a-4a53-9e0b-2f8f3f0f6a01'
const filled: SpecFormState = {
  ...EMPTY_FORM,
  name: 'llama',
  datasetId,
  trainCommand: 'python3 train.py',
}
const defaults: ScriptDefaults = {
  defaultProvider: 'local',
  defaultImage: 'runpod/pytorch:test',
  keepAliveSeconds: 3600,
  maxRuntimeSeconds: 6 * 3600,
  maxRuntimeCapSeconds: 22 * 3600,
  heartbeatSeconds: 30,
  shipIntervalSeconds: 10,
}

describe('formToSpecInput', () => {
  it('leaves blank optional fields out so the server defaults apply', () => {
    expect(formToSpecInput(filled)).toEqual({
      name: 'llama',
      datasetId,
      gpu: { types: ['NVIDIA GeForce RTX 4090'], count: 1 },
      trainCommand: 'python3 train.py',
    })
  })

  it('maps every field the form has', () => {
    const input = formToSpecInput({
      ...filled,
      provider: 'runpod',
      gpuTypes: ['NVIDIA H100 NVL', ' NVIDIA A40 '],
      gpuCount: '2',
      image: ' my/image:1 ',
      env: [
        { key: 'LR', value: '0.1' },
        { key: '', value: '' },
        { key: ' EPOCHS ', value: '3' },
      ],
      keepAliveSeconds: '60',
      maxRuntimeSeconds: '7200',
      maxCostUsd: '2.5',
    })
    expect(input).toEqual({
      name: 'llama',
      datasetId,
      provider: 'runpod',
      gpu: { types: ['NVIDIA H100 NVL', 'NVIDIA A40'], count: 2 },
      image: 'my/image:1',
      trainCommand: 'python3 train.py',
      env: { LR: '0.1', EPOCHS: '3' },
      keepAliveSeconds: 60,
      maxRuntimeSeconds: 7200,
      maxCostUsd: 2.5,
    })
  })
})

describe('validateSpecForm', () => {
  it('accepts a filled form with the shared schema', () => {
    const result = validateSpecForm(filled)
    expect(result.ok).toBe(true)
  })

  it('reports errors per field, nested paths folded onto the field shown', () => {
    const result = validateSpecForm({
      ...EMPTY_FORM,
      datasetId: 'nope',
      gpuTypes: [],
      gpuCount: 'two',
      keepAliveSeconds: '-1',
      env: [{ key: 'PODLAUNCH_X', value: '1' }],
    })
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(Object.keys(result.errors).sort()).toEqual([
      'datasetId',
      'env',
      'gpu.count',
      'gpu.types',
      'keepAliveSeconds',
      'name',
      'trainCommand',
    ])
    expect(result.errors['gpu.types']).toEqual(['gpu.types must list at least one GPU type'])
    expect(result.errors.env?.[0]).toMatch(/reserved/)
  })

  it('flags a repeated env name instead of silently keeping the last one', () => {
    const result = validateSpecForm({
      ...filled,
      env: [
        { key: 'A', value: '1' },
        { key: 'A', value: '2' },
      ],
    })
    expect(result.ok).toBe(false)
    if (!result.ok) expect(result.errors.env).toEqual(['env name A is listed twice'])
  })

  it('previews the same script the server builds from the input it receives', async () => {
    const result = validateSpecForm({ ...filled, env: [{ key: 'LR', value: "it's 0.1" }], keepAliveSeconds: '5' })
    if (!result.ok) throw new Error('expected a valid form')
    const preview = await buildDeploymentScript(result.spec, { datasetFilename: 'rows.csv', defaults })
    // What deployments.create does: parse the sent input with the same schema, then build.
    const server = await buildDeploymentScript(DeploymentSpecSchema.parse(JSON.parse(JSON.stringify(result.input))), {
      datasetFilename: 'rows.csv',
      defaults,
    })
    expect(preview.sha256).toBe(server.sha256)
    expect(preview.sha256).toMatch(/^[0-9a-f]{64}$/)
  })
})

describe('fieldKey', () => {
  it.each([
    [['gpu', 'types', 2], 'gpu.types'],
    [['gpu', 'count'], 'gpu.count'],
    [['env', 'FOO'], 'env'],
    [['name'], 'name'],
    [[], 'form'],
  ])('%j → %s', (path, key) => expect(fieldKey(path)).toBe(key))
})
