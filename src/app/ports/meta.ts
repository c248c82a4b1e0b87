// Small named values the store keeps for the app (row numbers of the last sweep, calendar id, …).
export interface Meta {
  /** The value stored under `key`, or null. */
  get(key: string): Promise<string | null>;
  /** Stores `value` under `key` (replacing any). Inside the caller's unit of work. */
  set(key: string, value: string): Promise<void>;
}
