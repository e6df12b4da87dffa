import { KNOWN_GPU_TYPES } from '@podlaunch/script'
import { useId, useState } from 'react'

/** Moves item `index` by `delta` places; out-of-range moves leave the list as it is. */
export function moveItem<T>(list: readonly T[], index: number, delta: number): T[] {
  const target = index + delta
  if (index < 0 || index >= list.length || target < 0 || target >= list.length) return [...list]
  const copy = [...list]
  const [item] = copy.splice(index, 1)
  copy.splice(target, 0, item as T)
  return copy
}

/** Ordered GPU types: the provider tries them first to last when one has no capacity. */
export function GpuCandidates({
  value,
  onChange,
  errors,
}: {
  value: string[]
  onChange: (next: string[]) => void
  errors?: string[] | undefined
}) {
  const inputId = useId()
  const listId = useId()
  const [draft, setDraft] = useState('')
  const add = () => {
    const type = draft.trim()
    if (!type || value.includes(type)) return
    onChange([...value, type])
    setDraft('')
  }
  return (
    <fieldset className="field" aria-describedby={errors?.length ? `${inputId}-errors` : undefined}>
      <legend>GPU candidates, in order of preference</legend>
      <ol className="gpu-list">
        {value.map((type, index) => (
          <li key={type}>
            <span className="gpu-name">
              {index + 1}. {type}
            </span>
            <span className="row-actions">
              <button
                type="button"
                aria-label={`Move ${type} up`}
                disabled={index === 0}
                onClick={() => onChange(moveItem(value, index, -1))}
              >
                ↑
              </button>
              <button
                type="button"
                aria-label={`Move ${type} down`}
                disabled={index === value.length - 1}
                onClick={() => onChange(moveItem(value, index, 1))}
              >
                ↓
              </button>
              <button type="button" aria-label={`Remove ${type}`} onClick={() => onChange(value.filter((t) => t !== type))}>
                ✕
              </button>
            </span>
          </li>
        ))}
      </ol>
      <div className="row">
        <label htmlFor={inputId} className="sr-only">
          Add a GPU type
        </label>
        <input
          id={inputId}
          list={listId}
          value={draft}
          placeholder="Add a GPU type…"
          onChange={(event) => setDraft(event.target.value)}
          onKeyDown={(event) => {
            if (event.key === 'Enter') {
              event.preventDefault()
              add()
            }
          }}
        />
        <button type="button" onClick={add} disabled={!draft.trim() || value.includes(draft.trim())}>
          Add GPU
        </button>
      </div>
      <datalist id={listId}>
        {KNOWN_GPU_TYPES.filter((type) => !value.includes(type)).map((type) => (
          <option key={type} value={type} />
        ))}
      </datalist>
      <FieldErrorList id={`${inputId}-errors`} errors={errors} />
    </fieldset>
  )
}

export function FieldErrorList({ id, errors }: { id: string; errors?: string[] | undefined }) {
  if (!errors?.length) return null
  return (
    <ul id={id} className="field-errors">
      {errors.map((message) => (
        <li key={message}>{message}</li>
      ))}
    </ul>
  )
}
