// Moved to src/store/sqlite/reports.ts; this stub lasts until app/ reads the reports through the ports.
export * from './sqlite/reports.js';
