// Moved to src/store/sqlite/schema.ts; this stub lasts for the tests that read the SQLite schema history.
export * from './sqlite/schema.js';
