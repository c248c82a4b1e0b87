import { messageSet } from '../messageSet.js';

// Issue 15: a command not yet moved to the storage ports works on a SQLite file only.
export const storeBackendMessages = messageSet({
  en: {
  },
  zh: {
  },
});
