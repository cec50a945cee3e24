/** A row of toggle buttons for a small set of choices (severity, status, range): 48 px targets, no dropdown to fumble. */
export function Choice<V extends string>({
  value,
  options,
  onChange,
  label,
  testId,
}: {
  value: V;
  options: Array<[V, string]>;
  onChange: (value: V) => void;
  label: string;
  testId: string;
}) {
  return (
    <div className="choice" role="group" aria-label={label} data-testid={testId}>
      {options.map(([v, text]) => (
        <button key={v} className={`button small${v === value ? ' active' : ''}`} aria-pressed={v === value} data-testid={`${testId}-${v}`} onClick={() => onChange(v)}>
          {text}
        </button>
      ))}
    </div>
  );
}
