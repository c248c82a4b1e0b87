// Moved: the code to src/store/common/extrasLayout.ts (shared by both backends), the types to
// domain/inputs.ts. This stub lasts until import/extras.ts and pg/importWriter.ts import those.
export type { ExtrasLayout, EncodedExtras } from '../domain/inputs.js';
export { decodeExtras, encodeExtrasObject } from './common/extrasLayout.js';
