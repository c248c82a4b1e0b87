// The shape of a message catalog and the way to declare one, so that a missing translation is a
// compile error: a set whose Chinese lacks a key of its English (or has one its English lacks) does
// not type-check. Kept apart from i18n.ts, which imports every catalog, so the catalogs can call
// messageSet() without a run-time import cycle.
export type Lang = 'en' | 'zh';
export type Catalog = Record<string, string>;
export interface MessageSet {
  en: Catalog;
  zh: Catalog;
  /** Keys of this set that are Chinese only: their English lives in the command modules (help texts). */
  englishFromModules?: RegExp;
}

declare const keys: unique symbol;
/**
 * A MessageSet that also carries its keys' type (for MessageKey); still indexable by any string. The
 * brand exists only in the type (hence the casts below), so i18n.ts can insist that every set in its
 * list was declared with one of these functions: a plain MessageSet would widen MessageKey to string.
 */
export type KeyedSet<K extends string> = MessageSet & { readonly [keys]: K };

/** A catalog in both languages: `zh` has exactly the keys of `en`. */
export function messageSet<E extends Catalog>(set: { en: E; zh: { [K in keyof E]: string } }): KeyedSet<Extract<keyof E, string>> {
  return set as unknown as KeyedSet<Extract<keyof E, string>>;
}

/**
 * The help catalog's form: `zh` has every key of `en`, plus the command texts (keys matching
 * `englishFromModules`) whose English is what the command modules give commander.
 */
export function messageSetWithEnglishFromModules<E extends Catalog, Z extends { [K in keyof E]: string }>(set: {
  englishFromModules: RegExp;
  en: E;
  zh: Z;
}): KeyedSet<Extract<keyof Z, string>> & { englishFromModules: RegExp } {
  return set as unknown as KeyedSet<Extract<keyof Z, string>> & { englishFromModules: RegExp };
}
