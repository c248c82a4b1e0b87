// Moved to src/store/sqlite/statsBy.ts; this stub lasts until app/ reads the reports through the ports.
export * from './sqlite/statsBy.js';
