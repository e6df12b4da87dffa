import { PROVIDERS } from '@podlaunch/contract'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useId, useMemo, useState, type FormEvent } from 'react'
import { ErrorText } from '../components/error-text.tsx'
import { formatDuration } from '../lib/format.ts'
import { Link, navigate } from '../router/navigation.tsx'
import { hrefOf } from '../router/routes.ts'
import { useTRPC } from '../trpc.ts'
import { EnvRows } from './env-rows.tsx'
import { FieldErrorList, GpuCandidates } from './gpu-candidates.tsx'
import { ScriptPreview } from './script-preview.tsx'
import { EMPTY_FORM, validateSpecForm, type SpecFormState } from './spec-form.ts'
import { TextField } from './text-field.tsx'
import { useScriptPreview } from './use-script-preview.ts'

export function NewDeploymentPage() {
  const trpc = useTRPC()
  const queryClient = useQueryClient()
  const datasetSelectId = useId()
  const providerSelectId = useId()
  const defaults = useQuery(trpc.deployments.scriptDefaults.queryOptions(undefined, { staleTime: Infinity }))
  const datasets = useQuery(trpc.datasets.list.queryOptions({ status: 'ready', limit: 100 }))
  const [form, setForm] = useState<SpecFormState>(EMPTY_FORM)
  const [touched, setTouched] = useState<ReadonlySet<string>>(new Set())
  const [submitted, setSubmitted] = useState(false)

  const readyDatasets = datasets.data?.items ?? []
  // Until someone picks one, the newest ready dataset is the choice.
  const datasetId = form.datasetId || readyDatasets[0]?.id || ''
  const effective = useMemo(() => ({ ...form, datasetId }), [form, datasetId])
  const validation = useMemo(() => validateSpecForm(effective), [effective])
  const dataset = readyDatasets.find((d) => d.id === datasetId)
  const preview = useScriptPreview(validation.ok ? validation.spec : undefined, dataset?.filename, defaults.data)

  const create = useMutation(
    trpc.deployments.create.mutationOptions({
      onSuccess: (created) => {
        void queryClient.invalidateQueries({ queryKey: trpc.deployments.list.queryKey() })
        navigate(hrefOf({ name: 'deployment', id: created.id }))
      },
    }),
  )

  const set = <K extends keyof SpecFormState>(key: K, value: SpecFormState[K]) => setForm((current) => ({ ...current, [key]: value }))
  const touch = (key: string) => setTouched((current) => new Set(current).add(key))
  const errorsOf = (key: string) => (!validation.ok && (submitted || touched.has(key)) ? validation.errors[key] : undefined)

  const submit = (event: FormEvent) => {
    event.preventDefault()
    setSubmitted(true)
    // The input as typed goes to the server, which parses it with the same schema.
    if (validation.ok) create.mutate(validation.input as never)
  }

  return (
    <section>
      <div className="page-head">
        <h1>New deployment</h1>
      </div>
      <div className="new-deployment">
        <form className="card form" onSubmit={submit} noValidate aria-label="New deployment">
          <TextField
            label="Name"
            value={form.name}
            onChange={(v) => set('name', v)}
            onBlur={() => touch('name')}
            errors={errorsOf('name')}
            placeholder="llama-finetune"
          />
          <div className="field">
            <label htmlFor={datasetSelectId}>Dataset</label>
            <select id={datasetSelectId} value={datasetId} onChange={(event) => set('datasetId', event.target.value)}>
              {readyDatasets.length === 0 && <option value="">No ready datasets</option>}
              {readyDatasets.map((d) => (
                <option key={d.id} value={d.id}>
                  {d.name} ({d.filename})
                </option>
              ))}
            </select>
            {datasets.isSuccess && readyDatasets.length === 0 && (
              <span className="hint">
                <Link href={hrefOf({ name: 'datasets' })}>Upload a dataset</Link> first.
              </span>
            )}
            <FieldErrorList id={`${datasetSelectId}-errors`} errors={errorsOf('datasetId')} />
          </div>
          <div className="field">
            <label htmlFor={providerSelectId}>Provider</label>
            <select
              id={providerSelectId}
              value={form.provider}
              onChange={(event) => set('provider', event.target.value as SpecFormState['provider'])}
            >
              <option value="">Server default{defaults.data ? ` (${defaults.data.defaultProvider})` : ''}</option>
              {PROVIDERS.map((p) => (
                <option key={p} value={p} disabled={defaults.data ? !defaults.data.providers.includes(p) : false}>
                  {p}
                  {defaults.data && !defaults.data.providers.includes(p) ? ' (not configured)' : ''}
                </option>
              ))}
            </select>
            <FieldErrorList id={`${providerSelectId}-errors`} errors={errorsOf('provider')} />
          </div>
          <GpuCandidates
            value={form.gpuTypes}
            onChange={(v) => set('gpuTypes', v)}
            errors={validation.ok ? undefined : validation.errors['gpu.types']}
          />
          <TextField
            label="GPU count"
            value={form.gpuCount}
            inputMode="numeric"
            onChange={(v) => set('gpuCount', v)}
            onBlur={() => touch('gpu.count')}
            errors={errorsOf('gpu.count')}
          />
          <TextField
            label="Train command"
            multiline
            value={form.trainCommand}
            onChange={(v) => set('trainCommand', v)}
            onBlur={() => touch('trainCommand')}
            errors={errorsOf('trainCommand')}
            hint={<>Runs in bash; it sees $PODLAUNCH_DATASET_PATH and appends JSON lines to $PODLAUNCH_METRICS_FILE.</>}
            placeholder="python3 train.py --data $PODLAUNCH_DATASET_PATH"
          />
          <EnvRows value={form.env} onChange={(v) => set('env', v)} errors={validation.ok ? undefined : validation.errors['env']} />
          <TextField
            label="Image"
            value={form.image}
            onChange={(v) => set('image', v)}
            onBlur={() => touch('image')}
            errors={errorsOf('image')}
            hint={defaults.data ? `Default: ${defaults.data.defaultImage}` : undefined}
          />
          <div className="grid-3">
            <TextField
              label="Keep-alive (s)"
              value={form.keepAliveSeconds}
              inputMode="numeric"
              onChange={(v) => set('keepAliveSeconds', v)}
              onBlur={() => touch('keepAliveSeconds')}
              errors={errorsOf('keepAliveSeconds')}
              hint={defaults.data ? `Seconds; default ${formatDuration(defaults.data.keepAliveSeconds)}` : undefined}
            />
            <TextField
              label="Max runtime (s)"
              value={form.maxRuntimeSeconds}
              inputMode="numeric"
              onChange={(v) => set('maxRuntimeSeconds', v)}
              onBlur={() => touch('maxRuntimeSeconds')}
              errors={errorsOf('maxRuntimeSeconds')}
              hint={
                defaults.data
                  ? `Seconds; default ${formatDuration(defaults.data.maxRuntimeSeconds)}, at most ${formatDuration(defaults.data.maxRuntimeCapSeconds)}`
                  : undefined
              }
            />
            <TextField
              label="Max cost (USD)"
              value={form.maxCostUsd}
              inputMode="decimal"
              onChange={(v) => set('maxCostUsd', v)}
              onBlur={() => touch('maxCostUsd')}
              errors={errorsOf('maxCostUsd')}
              hint="Blank: no budget"
            />
          </div>
          {submitted && !validation.ok && (
            <p className="error" role="alert">
              Fix the marked fields first.
            </p>
          )}
          <ErrorText error={create.error} prefix="The server refused the deployment" />
          <div className="actions">
            <button type="submit" className="primary" disabled={create.isPending}>
              {create.isPending ? 'Creating…' : 'Create deployment'}
            </button>
          </div>
        </form>
        <ScriptPreview preview={preview} fresh={preview.state === 'ready' && validation.ok && preview.spec === validation.spec} />
      </div>
    </section>
  )
}
