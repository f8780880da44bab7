export { encodePagingState, decodePagingState, encodeRowMark, decodeRowMark, NO_LIMIT } from './paging-state.js';
export type { PagingState } from './paging-state.js';
