import { messageSet } from '../messageSet.js';

// Issue 15: a command not yet moved to the storage ports works on a SQLite file only.
export const storeBackendMessages = messageSet({
  en: {
    'error.dbNeedsFile': 'this command works on a SQLite file only for now, not on a PostgreSQL server ({path}). Give --db a file path.',
  },
  zh: {
    'error.dbNeedsFile': '此命令目前只能用于 SQLite 文件，不能用于 PostgreSQL 服务器（{path}）。请给 --db 一个文件路径。',
  },
});
