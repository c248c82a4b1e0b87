// domain/privacy.ts: the one copy of the masking rule (summary, evidence pack, case card) and of
// who to call about a refund.
import { describe, expect, it } from 'vitest';
import { contactOf, maskAddress, maskPhone } from '../../src/domain/privacy.js';
import * as uiMask from '../../src/ui/mask.js';
import type { Order } from '../../src/domain/types.js';

describe('maskPhone / maskAddress', () => {
  it('keeps a mobile number\'s first 3 and last 4 digits, other numbers their first 3 and last 2', () => {
    expect(maskPhone('13812345678')).toBe('138****5678');
    expect(maskPhone('138 1234 5678')).toBe('138****5678');
    expect(maskPhone('0571-88886666')).toBe('057********66');
    expect(maskPhone('12345')).toBe('*****');
    expect(maskPhone(null)).toBe('');
  });

  it('keeps the first 6 characters of an address (province, city)', () => {
    expect(maskAddress('浙江省杭州市西湖区文三路 100 号')).toBe('浙江省杭州市****');
    expect(maskAddress('  上海市  ')).toBe('***');
    expect(maskAddress('')).toBe('');
  });

  it('ui/mask.ts is the same functions, not a copy', () => {
    expect(uiMask.maskPhone).toBe(maskPhone);
    expect(uiMask.maskAddress).toBe(maskAddress);
  });
});

describe('contactOf', () => {
  const order = { receiverName: '欧阳娜娜', phone: '13400006666', address: '广东省深圳市南山区科技园 8 栋' } as Order;
  const row = (o: Order | null, nick: string | null = 'tb_buyer') => ({ order: o, item: { refund: { buyerNick: nick } } });

  it("the order's receiver, masked unless asked", () => {
    expect(contactOf(row(order), true)).toEqual({ name: '欧阳娜娜', phone: '134****6666', address: '广东省深圳市****' });
    expect(contactOf(row(order), false)).toEqual({ name: '欧阳娜娜', phone: '13400006666', address: '广东省深圳市南山区科技园 8 栋' });
  });

  it("without an order (or a receiver name), the buyer's nick and nothing else", () => {
    expect(contactOf(row(null), true)).toEqual({ name: 'tb_buyer', phone: null, address: null });
    expect(contactOf(row({ ...order, receiverName: null, phone: null, address: null }), true)).toEqual({ name: 'tb_buyer', phone: null, address: null });
  });
});
