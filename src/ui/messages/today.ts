import type { MessageSet } from '../i18n.js';

export const todayMessages: MessageSet = {
  en: {},
  zh: {},
};
