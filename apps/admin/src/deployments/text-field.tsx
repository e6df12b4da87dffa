import { useId, type ReactNode } from 'react'
import { FieldErrorList } from './gpu-candidates.tsx'

interface TextFieldProps {
  label: string
  value: string
  onChange: (value: string) => void
  onBlur?: () => void
  errors?: string[] | undefined
  hint?: ReactNode
  multiline?: boolean
  inputMode?: 'numeric' | 'decimal' | 'text'
  placeholder?: string
}

/** A labelled input with its hint and its errors wired up for screen readers. */
export function TextField({ label, value, onChange, onBlur, errors, hint, multiline, inputMode, placeholder }: TextFieldProps) {
  const id = useId()
  const describedBy = [hint ? `${id}-hint` : '', errors?.length ? `${id}-errors` : ''].filter(Boolean).join(' ') || undefined
  const common = {
    id,
    value,
    placeholder,
    onBlur,
    'aria-invalid': errors?.length ? true : undefined,
    'aria-describedby': describedBy,
    spellCheck: false,
  }
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {multiline ? (
        <textarea {...common} rows={6} onChange={(event) => onChange(event.target.value)} />
      ) : (
        <input {...common} inputMode={inputMode} onChange={(event) => onChange(event.target.value)} />
      )}
      {hint && (
        <span id={`${id}-hint`} className="hint">
          {hint}
        </span>
      )}
      <FieldErrorList id={`${id}-errors`} errors={errors} />
    </div>
  )
}
