import type { MessageSet } from '../i18n.js';

export const returnsMessages: MessageSet = {
  en: {},
  zh: {},
};
