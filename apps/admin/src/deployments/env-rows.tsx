import { useId } from 'react'
import { FieldErrorList } from './gpu-candidates.tsx'

type Row = { key: string; value: string }

export function EnvRows({ value, onChange, errors }: { value: Row[]; onChange: (next: Row[]) => void; errors?: string[] | undefined }) {
  const id = useId()
  const update = (index: number, patch: Partial<Row>) => onChange(value.map((row, i) => (i === index ? { ...row, ...patch } : row)))
  return (
    <fieldset className="field" aria-describedby={errors?.length ? `${id}-errors` : undefined}>
      <legend>Environment variables</legend>
      {value.map((row, index) => (
        <div className="row env-row" key={index}>
          <input
            aria-label={`Env name ${index + 1}`}
            placeholder="NAME"
            value={row.key}
            spellCheck={false}
            onChange={(e) => update(index, { key: e.target.value })}
          />
          <input
            aria-label={`Env value ${index + 1}`}
            placeholder="value"
            value={row.value}
            spellCheck={false}
            onChange={(e) => update(index, { value: e.target.value })}
          />
          <button type="button" aria-label={`Remove env row ${index + 1}`} onClick={() => onChange(value.filter((_, i) => i !== index))}>
            ✕
          </button>
        </div>
      ))}
      <button type="button" onClick={() => onChange([...value, { key: '', value: '' }])}>
        Add variable
      </button>
      <FieldErrorList id={`${id}-errors`} errors={errors} />
    </fieldset>
  )
}
