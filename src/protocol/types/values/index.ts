export { BigDecimal } from './big-decimal.js';
export { Duration } from './duration.js';
export { InetAddress } from './inet-address.js';
export { LocalDate } from './local-date.js';
export { LocalTime } from './local-time.js';
export { MAX_DATE_MS, OutOfRangeDate } from './out-of-range-date.js';
export { TimeUuid } from './time-uuid.js';
export { Uuid } from './uuid.js';
