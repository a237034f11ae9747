import type { CSSProperties, InputHTMLAttributes, ReactNode } from 'react';
import type { Issue } from './api';

/** A field's problems in words, right under it; the field points here with aria-describedby. */
export function FieldIssues({ id, issues }: { id: string; issues: Issue[] }) {
  if (issues.length === 0) return null;
  return (
    <div id={id}>
      {issues.map((issue) => (
        <p className="issue" key={`${issue.path}:${issue.problem}`}>
          {issue.problem}
        </p>
      ))}
    </div>
  );
}

/** Props that tie an input to its FieldIssues. */
export function describedBy(id: string, issues: Issue[]) {
  return issues.length > 0 ? { 'aria-invalid': true, 'aria-describedby': id } : {};
}

/** What an input of a `Field` spreads: its id and, when the API named a problem with it, the link to that problem. */
export type FieldInputProps = { id: string } & ReturnType<typeof describedBy>;

interface FieldProps {
  /** The input's id; its problems get `${id}-issues`. */
  id: string;
  label: ReactNode;
  issues: Issue[];
  /** `data-field`, for tests and styles that find a field by what it holds. */
  name?: string;
  style?: CSSProperties;
  /** The input, given the props it spreads. */
  children(props: FieldInputProps): ReactNode;
}

/** A labelled input with the problems the API named with it in words right under it. */
export function Field({ id, label, issues, name, style, children }: FieldProps) {
  return (
    <div className="field" data-field={name} style={style}>
      <label htmlFor={id}>{label}</label>
      {children({ id, ...describedBy(`${id}-issues`, issues) })}
      <FieldIssues id={`${id}-issues`} issues={issues} />
    </div>
  );
}

type TextFieldProps = Omit<FieldProps, 'children'> &
  Pick<InputHTMLAttributes<HTMLInputElement>, 'placeholder' | 'maxLength' | 'size'> & { value: string; onChange(value: string): void };

/** A `Field` holding one text input. */
export function TextField({ value, onChange, placeholder, maxLength, size, ...field }: TextFieldProps) {
  return (
    <Field {...field}>
      {(props) => (
        <input
          {...props}
          value={value}
          placeholder={placeholder}
          maxLength={maxLength}
          size={size}
          onChange={(event) => onChange(event.target.value)}
        />
      )}
    </Field>
  );
}
