/**
 * ISO-8601 text for a CQL `timestamp` parameter (cassandra-driver accepts text there too). Only
 * forms that name one instant are taken: a date, a time to the minute, second or millisecond, and
 * an explicit zone (`Z`, `+02:00`, `+0200`, `-05`). Text without a zone is refused, because
 * JavaScript reads `2024-06-01T12:00` in the client's zone and `2024-06-01` in UTC while Cassandra
 * reads a timestamp literal without a zone in the server's: the same text would be three different
 * instants. More than three fraction digits are refused too (a timestamp holds milliseconds).
 */
const ISO_TIMESTAMP =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?(?:([Zz])|([+-])(\d{2})(?::?(\d{2}))?)$/;

/** What a refused text is told it should look like. */
export const TIMESTAMP_TEXT_FORMS =
  'is not an ISO-8601 timestamp with a time zone, e.g. "2024-06-01T12:30:00Z", "2024-06-01 12:30:00.250+02:00"';

/** Milliseconds since the epoch of `text`, or undefined when it is not one of the accepted forms or no real instant. */
export function parseTimestampText(text: string): number | undefined {
  const m = ISO_TIMESTAMP.exec(text);
  if (m === null) return undefined;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const hour = Number(m[4]);
  const minute = Number(m[5]);
  const second = m[6] === undefined ? 0 : Number(m[6]);
  const millis = m[7] === undefined ? 0 : Number(m[7].padEnd(3, '0'));
  let offsetMinutes = 0;
  if (m[8] === undefined) {
    const offsetHours = Number(m[10]);
    const offsetMins = m[11] === undefined ? 0 : Number(m[11]);
    if (offsetHours > 23 || offsetMins > 59) return undefined;
    offsetMinutes = (m[9] === '-' ? -1 : 1) * (offsetHours * 60 + offsetMins);
  }
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  const at = new Date(0);
  at.setUTCFullYear(year, month - 1, day);
  // a day the month does not have (2023-02-29) rolls over: refuse it rather than move it
  if (at.getUTCFullYear() !== year || at.getUTCMonth() !== month - 1 || at.getUTCDate() !== day) return undefined;
  at.setUTCHours(hour, minute, second, millis);
  return at.getTime() - offsetMinutes * 60_000;
}
