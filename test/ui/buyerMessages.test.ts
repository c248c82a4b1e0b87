// The buyer/evidence/stats-by catalog: both languages, the same keys and the same placeholders.
import { describe, expect, it } from 'vitest';
import { buyerMessages } from '../../src/ui/messages/buyer.js';
import { BUYER_FLAG_IDS } from '../../src/domain/buyerHistory.js';

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('buyer catalog', () => {
  it('has every key in English and Chinese with the same placeholders', () => {
    expect(Object.keys(buyerMessages.zh).sort()).toEqual(Object.keys(buyerMessages.en).sort());
    for (const [k, en] of Object.entries(buyerMessages.en)) {
      expect(en.trim(), k).not.toBe('');
      expect({ k, p: placeholders(buyerMessages.zh[k]!) }).toEqual({ k, p: placeholders(en) });
    }
  });

  it('names every flag', () => {
    for (const id of BUYER_FLAG_IDS) {
      expect(buyerMessages.en[`buyer.flag.${id}`], id).toBeTruthy();
      expect(buyerMessages.zh[`buyer.flag.${id}`], id).toBeTruthy();
    }
  });
});
