// Every --help text (filled in below) and commander's own messages.
import type { MessageSet } from '../i18n.js';

export const helpMessages: MessageSet = { en: {}, zh: {} };
