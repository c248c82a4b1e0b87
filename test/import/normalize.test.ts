import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  FieldProblem,
  disputeStateOf,
  orderStatusOf,
  parseId,
  parseMoney,
  parseTimeCell,
  refundStatusOf,
  refundTypeOf,
  unwrapId,
} from '../../src/import/normalize.js';
import { ShopZone, parseShopTime, parseDuration } from '../../src/domain/time.js';

const zone = new ShopZone('Asia/Shanghai');

describe('IDs stay text, wrappers removed', () => {
  it.each([
    ['="4123456789012345678"', '4123456789012345678'],
    ["'4123456789012345678", '4123456789012345678'],
    ['\t4123456789012345678', '4123456789012345678'],
    ['  2025042012345678901234567890  ', '2025042012345678901234567890'],
    ['= "123456789012345678"', '123456789012345678'],
    ['"4123456789012345678"', '4123456789012345678'],
  ])('%j -> %s', (cell, id) => {
    expect(unwrapId(cell)).toBe(id);
    expect(parseId(cell)).toBe(id);
  });

  it('keeps 28-digit IDs exactly, beyond safe integers', () => {
    const id = '2025042012345678901234567890';
    expect(parseId(`="${id}"`)).toBe(id);
    expect(Number.isSafeInteger(Number(id))).toBe(false);
  });

  it('refuses an ID a spreadsheet turned into a number', () => {
    const p = parseId('4.12346E+18');
    expect(p).toBeInstanceOf(FieldProblem);
    expect((p as FieldProblem).code).toBe('id-mangled');
  });

  it('refuses empty and non-ID cells', () => {
    expect((parseId('  ') as FieldProblem).code).toBe('id-empty');
    expect((parseId('12 34') as FieldProblem).code).toBe('id-chars');
    expect((parseId('=HYPERLINK("x")') as FieldProblem).code).toBe('id-chars');
  });
});

describe('money to integer cents', () => {
  it.each([
    ['59.90', 5990],
    ['1,299.00', 129900],
    ['¥59.90', 5990],
    ['￥59.90', 5990],
    ['59.90元', 5990],
    ['-12.5', -1250],
    ['0.01', 1],
    ['1299', 129900],
    ['￥1,299.99', 129999],
    ['-¥3.00', -300],
    ['', null],
    ['-', null],
  ])('%j -> %s', (cell, cents) => {
    expect(parseMoney(cell)).toBe(cents);
  });

  it.each(['无退款申请', '1e309', '--5', '59.999', '12,34.00', 'abc', '１２'])('%j is not money', (cell) => {
    expect(parseMoney(cell)).toBeInstanceOf(FieldProblem);
  });

  it('never goes through floating point (0.29 * 100 would be 28.999…)', () => {
    expect(parseMoney('0.29')).toBe(29);
    expect(parseMoney('1,000,000.57')).toBe(100000057);
  });
});

describe('times in the shop zone', () => {
  it.each([
    ['2025-04-20 10:31:05', '2025-04-20T10:31:05+08:00'],
    ['2025/4/20 10:31', '2025-04-20T10:31:00+08:00'],
    ['2025-04-20', '2025-04-20T00:00:00+08:00'],
    ['1745116265', '2025-04-20T10:31:05+08:00'],
    ['2025-04-20T02:31:05Z', '2025-04-20T10:31:05+08:00'],
    ['', null],
  ])('%j -> %s', (cell, iso) => {
    expect(parseTimeCell(cell, zone)).toBe(iso);
  });

  it.each(['2025-02-30 10:00', '2025-13-01', 'tomorrow', '9999-01-01 00:00', '1900-01-01'])('%j is not a time', (cell) => {
    expect(parseTimeCell(cell, zone)).toBeInstanceOf(FieldProblem);
  });

  it('does not depend on the machine zone: other shop zones get their own offset', () => {
    const ny = new ShopZone('America/New_York');
    expect(ny.iso(parseShopTime('2025-07-01 12:00', ny)!)).toBe('2025-07-01T12:00:00-04:00');
    expect(ny.iso(parseShopTime('2025-01-01 12:00', ny)!)).toBe('2025-01-01T12:00:00-05:00');
  });

  it('parses durations', () => {
    expect(parseDuration('6h')).toBe(6 * 3600_000);
    expect(parseDuration('1h30m')).toBe(5400_000);
    expect(parseDuration('2d')).toBe(2 * 86_400_000);
    expect(parseDuration('soon')).toBeNull();
  });
});

describe('state texts, whatever the comma style', () => {
  it.each([
    ['买家已经申请退款，等待卖家同意', 'WAIT_SELLER_AGREE'],
    ['买家已经申请退款,等待卖家同意', 'WAIT_SELLER_AGREE'],
    ['买家已经申请退款等待卖家同意', 'WAIT_SELLER_AGREE'],
    ['卖家已经同意退款，等待买家退货', 'WAIT_BUYER_RETURN_GOODS'],
    ['买家已经退货，等待卖家确认收货', 'WAIT_SELLER_CONFIRM_GOODS'],
    [' 买家已经退货, 等待卖家确认收货 ', 'WAIT_SELLER_CONFIRM_GOODS'],
    ['卖家拒绝退款', 'SELLER_REFUSE_BUYER'],
    ['退款关闭', 'CLOSED'],
    ['退款成功', 'SUCCESS'],
    ['待商家处理', 'WAIT_SELLER_AGREE'],
    ['待买家退货', 'WAIT_BUYER_RETURN_GOODS'],
    ['待商家收货', 'WAIT_SELLER_CONFIRM_GOODS'],
    ['同意退款，退款成功', 'SUCCESS'],
    ['售后关闭', 'CLOSED'],
    ['退款待处理（新状态）', 'UNKNOWN'],
  ])('%s -> %s', (text, status) => {
    expect(refundStatusOf(text)).toBe(status);
  });

  it('maps order states and whether goods shipped', () => {
    expect(orderStatusOf('买家已付款，等待卖家发货')).toEqual({ status: 'WAIT_SELLER_SEND_GOODS', shipped: false });
    expect(orderStatusOf('卖家已发货，等待买家确认')).toEqual({ status: 'WAIT_BUYER_CONFIRM_GOODS', shipped: true });
    expect(orderStatusOf('交易成功')).toEqual({ status: 'TRADE_FINISHED', shipped: true });
  });

  it('maps 客服介入状态 and 仲裁状态', () => {
    expect(disputeStateOf('不需客服介入')).toBe('none');
    expect(disputeStateOf('需要客服介入')).toBe('requested');
    expect(disputeStateOf('客服已经介入')).toBe('in_progress');
    expect(disputeStateOf('客服主管复审失败')).toBe('in_progress');
    expect(disputeStateOf('客服处理完成')).toBe('finished');
    expect(disputeStateOf(null)).toBe('none');
  });

  it('derives the refund type', () => {
    expect(refundTypeOf('退货退款', null)).toBe('return_refund');
    expect(refundTypeOf('已发货仅退款', null)).toBe('refund_only');
    expect(refundTypeOf('换货', null)).toBe('exchange');
    expect(refundTypeOf(null, true)).toBe('return_refund');
    expect(refundTypeOf(null, false)).toBe('refund_only');
    expect(refundTypeOf(null, null)).toBeNull();
  });
});

describe('the Asia/Shanghai fast path agrees with the tz database', () => {
  it('for instants from 1985 to 2040', () => {
    const fast = new ShopZone('Asia/Shanghai');
    const fmt = new Intl.DateTimeFormat('en-US', { timeZone: 'Asia/Shanghai', timeZoneName: 'longOffset' });
    for (let ms = Date.UTC(1985, 0, 1); ms < Date.UTC(2040, 0, 1); ms += 7 * 86_400_000 + 3_600_000) {
      const name = fmt.formatToParts(new Date(ms)).find((p) => p.type === 'timeZoneName')!.value;
      const m = /GMT([+-])(\d{2}):(\d{2})/.exec(name)!;
      expect(fast.offsetMinutes(ms), new Date(ms).toISOString()).toBe((m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])));
    }
  });
});

describe('the canonical-time fast path (ShopZone.isoOfCanonical) = the general path', () => {
  const zone = new ShopZone('Asia/Shanghai');
  const general = (s: string) => {
    const ms = parseShopTime(s, zone);
    return ms === null ? null : zone.iso(ms);
  };

  it('on "YYYY-MM-DD HH:mm:ss" texts, valid or not, it answers what the general path answers, or declines', () => {
    const two = (max: number) => fc.integer({ min: 0, max }).map((n) => String(n).padStart(2, '0'));
    const text = fc
      .tuple(fc.integer({ min: 1960, max: 2120 }), two(13), two(32), fc.constantFrom(' ', 'T', '/'), two(25), two(61), two(61))
      .map(([y, mo, d, sep, h, mi, s]) => `${y}-${mo}-${d}${sep}${h}:${mi}:${s}`);
    fc.assert(
      fc.property(text, (s) => {
        const fast = zone.isoOfCanonical(s);
        if (fast !== undefined) expect(fast).toBe(general(s));
      }),
      { numRuns: 20_000 },
    );
  });

  it.each([
    ['2025-04-20 10:31:05', '2025-04-20T10:31:05+08:00'],
    ['2025-04-20T10:31:05', '2025-04-20T10:31:05+08:00'],
    ['2024-02-29 23:59:59', '2024-02-29T23:59:59+08:00'],
    ['2000-02-29 00:00:00', '2000-02-29T00:00:00+08:00'],
    ['1992-01-01 00:00:00', '1992-01-01T00:00:00+08:00'],
  ])('takes %s → %s', (s, iso) => {
    expect(zone.isoOfCanonical(s)).toBe(iso);
    expect(general(s)).toBe(iso);
  });

  it.each(['2025-02-29 10:00:00', '1900-02-29 10:00:00', '2025-13-01 10:00:00', '2025-04-31 10:00:00', '2025-04-20 24:00:00', '1991-06-01 12:00:00', '2025/04/20 10:31:05', '2025-04-20 10:31', ' 2025-04-20 10:31:05'])(
    'declines %s (the general path decides)',
    (s) => {
      expect(zone.isoOfCanonical(s)).toBeUndefined();
    },
  );

  it('declines in any other zone', () => {
    expect(new ShopZone('Asia/Tokyo').isoOfCanonical('2025-04-20 10:31:05')).toBeUndefined();
  });
});
