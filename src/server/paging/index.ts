export type { PagingState } from './paging-state.js';
export { decodePagingState, decodeRowMark, encodePagingState, encodeRowMark, NO_LIMIT } from './paging-state.js';
