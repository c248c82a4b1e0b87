// The order in which `today` makes room on a narrow terminal: order ID, then buyer, then the next
// step shortened; piped (no width) keeps everything.
import { describe, expect, it } from 'vitest';
import { fitColumns } from '../../src/ui/todayView.js';

const head = ['#', 'Refund ID', 'Order ID', 'Buyer', 'Amount', 'State', 'Time left', 'Next step'];
const row = ['1', '7360123456789012307', '6928123456789012361', '抖音用户1001', '¥1,580.00', 'to agree', 'overdue 2h 30m', 'act now, check backend'];
const rows = [head, row];
// 2 + (1+19+19+12+9+8+14+22) + 2×7 = 120 columns in full; 99 without the order ID; 85 without the buyer.
describe('fitColumns', () => {
  it('keeps every column when piped or wide enough', () => {
    expect(fitColumns(rows, null)).toEqual({ keep: [0, 1, 2, 3, 4, 5, 6, 7], nextMax: null, stateMax: null });
    expect(fitColumns(rows, 120)).toEqual({ keep: [0, 1, 2, 3, 4, 5, 6, 7], nextMax: null, stateMax: null });
  });
  it('drops the order ID first', () => {
    expect(fitColumns(rows, 119)).toEqual({ keep: [0, 1, 3, 4, 5, 6, 7], nextMax: null, stateMax: null });
    expect(fitColumns(rows, 99)).toEqual({ keep: [0, 1, 3, 4, 5, 6, 7], nextMax: null, stateMax: null });
  });
  it('then the buyer', () => {
    expect(fitColumns(rows, 98)).toEqual({ keep: [0, 1, 4, 5, 6, 7], nextMax: null, stateMax: null });
    expect(fitColumns(rows, 85)).toEqual({ keep: [0, 1, 4, 5, 6, 7], nextMax: null, stateMax: null });
  });
  it('then shortens the next step to what is left', () => {
    // 63 columns before the next step: it gets the rest, at least 6.
    expect(fitColumns(rows, 84)).toEqual({ keep: [0, 1, 4, 5, 6, 7], nextMax: 21, stateMax: null });
    expect(fitColumns(rows, 80)).toEqual({ keep: [0, 1, 4, 5, 6, 7], nextMax: 17, stateMax: null });
    expect(fitColumns(rows, 69)).toEqual({ keep: [0, 1, 4, 5, 6, 7], nextMax: 6, stateMax: null });
    expect(fitColumns(rows, 68)).toEqual({ keep: [0, 1, 4, 5, 6, 7], nextMax: 6, stateMax: 7 });
  });
  it('and on the narrowest terminals (or with 28-digit IDs) the state too', () => {
    const long = ['16', '1587001122334455060000000001', '1', 'b', '¥1,580.00', 'returned: confirm', 'overdue 27h 0m', 'act now, check backend'];
    // Without order and buyer: 2 + (2+28+9+17+14+22) + 2×5 = 104; 82 before the next step.
    expect(fitColumns([head, long], 80)).toEqual({ keep: [0, 1, 4, 5, 6, 7], nextMax: 6, stateMax: 9 });
    expect(fitColumns([head, long], 60)).toEqual({ keep: [0, 1, 4, 5, 6, 7], nextMax: 6, stateMax: 6 });
  });
});
