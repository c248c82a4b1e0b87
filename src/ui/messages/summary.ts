import type { MessageSet } from '../i18n.js';

export const summaryMessages: MessageSet = {
  en: {},
  zh: {},
};
