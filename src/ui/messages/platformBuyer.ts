import { messageSet } from '../messageSet.js';

// The buyer history's and the appeal pack's dispute words in the case's platform's terms
// (picked by src/ui/caseWording.ts): Taobao/Tmall says 客服介入 (the plain keys in buyer.ts),
// 抖店 says 平台仲裁 (its column is 仲裁状态), Pinduoduo says 平台介入.
export const platformBuyerMessages = messageSet({
  en: {
    'buyer.line@douyin': '{refunds} refunds · {amount} · {onlyAfter} refund-only after delivery · {disputes} with 平台仲裁 · orders {orders}, {refunded} refunded ({share})',
    'buyer.line@pdd': '{refunds} refunds · {amount} · {onlyAfter} refund-only after delivery · {disputes} with 平台介入 · orders {orders}, {refunded} refunded ({share})',
    'buyer.flag.dispute-history@douyin': 'history of platform arbitration',
    'buyer.flag.dispute-history@pdd': 'history of platform intervention',
    'buyer.card2@douyin': '{disputes} with 平台仲裁 · orders {orders}, {refunded} refunded ({share})',
    'buyer.card2@pdd': '{disputes} with 平台介入 · orders {orders}, {refunded} refunded ({share})',
    'buyer.why.dispute-history@douyin': 'refunds with 平台仲裁 {n} in {days} days ≥ threshold {threshold} ({ids})',
    'buyer.why.dispute-history@pdd': 'refunds with 平台介入 {n} in {days} days ≥ threshold {threshold} ({ids})',
    'evidence.note.dispute@douyin': '平台仲裁',
    'evidence.note.dispute@pdd': '平台介入',
    'evidence.words.dispute@douyin': '仲裁状态',
    'evidence.words.dispute@pdd': '平台介入',
  },
  zh: {
    'buyer.line@douyin': '退款 {refunds} 笔 · {amount} · 收货后仅退款 {onlyAfter} 笔 · 平台仲裁 {disputes} 笔 · 订单 {orders} 笔，退款 {refunded} 笔（{share}）',
    'buyer.line@pdd': '退款 {refunds} 笔 · {amount} · 收货后仅退款 {onlyAfter} 笔 · 平台介入 {disputes} 笔 · 订单 {orders} 笔，退款 {refunded} 笔（{share}）',
    'buyer.card2@douyin': '平台仲裁 {disputes} 笔 · 订单 {orders} 笔，其中退款 {refunded} 笔（{share}）',
    'buyer.card2@pdd': '平台介入 {disputes} 笔 · 订单 {orders} 笔，其中退款 {refunded} 笔（{share}）',
    'buyer.flag.dispute-history@douyin': '有平台仲裁记录',
    'buyer.flag.dispute-history@pdd': '有平台介入记录',
    'buyer.why.dispute-history@douyin': '平台仲裁的退款 {n} 笔（{days} 天内）≥ 阈值 {threshold}（{ids}）',
    'buyer.why.dispute-history@pdd': '平台介入的退款 {n} 笔（{days} 天内）≥ 阈值 {threshold}（{ids}）',
    'evidence.note.dispute@douyin': '平台仲裁',
    'evidence.note.dispute@pdd': '平台介入',
    'evidence.words.dispute@douyin': '仲裁状态',
    'evidence.words.dispute@pdd': '平台介入',
  },
});
