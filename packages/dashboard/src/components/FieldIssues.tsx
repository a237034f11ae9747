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
