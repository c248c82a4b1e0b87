// Keys the typed catalog (issue 15: a missing translation is a compile error) found missing: until
// then t() printed the key itself.
import { messageSet } from '../messageSet.js';

export const catalogGapsMessages = messageSet({
  en: {
    // `refunds decisions`, a decision recorded by `decide --force`
    'source.decide-forced': 'decide (forced)',
    // `show`: an export column gave the deadline itself
    'show.anchor.export': 'the export’s deadline',
  },
  zh: {
    'source.decide-forced': '命令处理（强制）',
    'show.anchor.export': '导出表中的截止时间',
  },
});
