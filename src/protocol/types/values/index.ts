export { LocalDate } from './local-date.js';
export { LocalTime } from './local-time.js';
export { Duration } from './duration.js';
export { BigDecimal } from './big-decimal.js';
export { InetAddress } from './inet-address.js';
export { Uuid } from './uuid.js';
export { TimeUuid } from './time-uuid.js';
