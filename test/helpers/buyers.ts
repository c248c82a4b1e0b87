// The buyers fixture shop (test/fixtures/buyers): a small Taobao/Douyin history with repeat buyers.
import path from 'node:path';
import { ROOT } from './cli.js';

export const BUYERS_NOW = '2025-06-30T10:00:00+08:00';
export const BUYER_FILES = ['taobao-refunds.csv', 'taobao-orders.csv', 'douyin-aftersales.csv', 'warehouse-returns.csv'].map((f) =>
  path.join(ROOT, 'test/fixtures/buyers', f),
);
