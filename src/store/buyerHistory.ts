// Moved to src/store/sqlite/buyers.ts; this stub lasts until app/ reads buyer history through the ports.
export * from './sqlite/buyers.js';
