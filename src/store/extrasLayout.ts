// Moved: the code to src/store/sqlite/extrasLayout.ts, the types to domain/inputs.ts. This stub lasts until import/extras.ts imports the domain types.
export type { ExtrasLayout, EncodedExtras } from '../domain/inputs.js';
