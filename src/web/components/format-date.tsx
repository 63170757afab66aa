const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** A timestamp from the API shown in the reader's locale, machine-readable in `dateTime`. */
export function DateTime({ value, empty = '—' }: { value: string | null; empty?: string }) {
  if (!value) return <>{empty}</>;
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return <>{value}</>;
  return (
    <time dateTime={date.toISOString()} title={date.toISOString()}>
      {dateTime.format(date)}
    </time>
  );
}
