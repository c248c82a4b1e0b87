import { messageSet } from '../messageSet.js';

// A decision to wait (collect evidence, hold until …) leaves nothing to click in the seller
// backend: `today` and the summary say so instead of "carry out in the backend: 暂不处理".
export const decidedWaitMessages = messageSet({
  en: {
    'today.waitCell': 'decided: wait',
    'today.decidedWaitLine': 'decided by {agent} {at} → wait: nothing to do in the backend yet; settle it before the deadline',
    'summary.firstWait': 'decided: wait ({agent} {at}) — {refundId} · {amount} · {left}',
  },
  zh: {
    'today.waitCell': '已决定：等待',
    'today.decidedWaitLine': '{agent} {at} 已决定 → 等待：后台暂无操作；请在截止前处理完',
    'summary.firstWait': '已决定等待（{agent} {at}）— {refundId} · {amount} · {left}',
  },
});
