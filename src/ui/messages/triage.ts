import type { MessageSet } from '../i18n.js';

export const triageMessages: MessageSet = {
  en: {},
  zh: {},
};
