import { useEffect, useState } from 'react';

const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });
const absolute = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

const steps: [Intl.RelativeTimeFormatUnit, number][] = [
  ['second', 60],
  ['minute', 60],
  ['hour', 24],
  ['day', 30],
  ['month', 12],
  ['year', Number.POSITIVE_INFINITY],
];

/** "just now", "3 minutes ago", "yesterday": how long ago `date` was, from `now`. */
export function formatRelative(date: Date, now = Date.now()): string {
  let amount = (date.getTime() - now) / 1000;
  if (Math.abs(amount) < 10) return 'just now';
  for (const [unit, size] of steps) {
    if (Math.abs(amount) < size) return relative.format(Math.round(amount), unit);
    amount /= size;
  }
  return absolute.format(date);
}

/** Re-renders every `ms` milliseconds, so relative times stay true while a page is open. */
function useNow(ms: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(timer);
  }, [ms]);
  return now;
}

/** A timestamp from the API as a relative time; the exact time is in the tooltip and `dateTime`. */
export function RelativeTime({ value, empty = 'Never' }: { value: string | null; empty?: string }) {
  const now = useNow(30_000);
  if (!value) return <>{empty}</>;
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return <>{value}</>;
  return (
    <time dateTime={date.toISOString()} title={absolute.format(date)}>
      {formatRelative(date, now)}
    </time>
  );
}
