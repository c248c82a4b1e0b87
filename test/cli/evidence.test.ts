// `refunds evidence ID --out DIR` through the built CLI on the buyers fixture shop: the pack's
// content, its file modes, its refusals (non-empty folder, symbolic link), and well-formed SVG.
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, tmpDir } from '../helpers/cli.js';
import { parseXml, svgsOf } from '../helpers/xml.js';
import { BUYER_FILES, BUYERS_NOW } from '../helpers/buyers.js';

const A4 = '2900000000000000104';
const C2 = '2900000000000000302';
let db: string;

beforeAll(() => {
  db = path.join(tmpDir(), 'buyers.sqlite');
  expect(runCli(['--db', db, '--now', BUYERS_NOW, 'import', ...BUYER_FILES]).code).toBe(0);
  const d = runCli(['--db', db, '--now', BUYERS_NOW, 'decide', C2, '--action', 'contact-buyer', '--agent', 'li.na', '--note', '已联系买家']);
  expect(d.code, d.stderr).toBe(0);
});

const cli = (...args: string[]) => runCli(['--db', db, '--now', BUYERS_NOW, ...args]);
const mode = (p: string) => fs.statSync(p).mode & 0o777;

describe('the appeal pack', () => {
  it('writes an owner-only folder with one HTML page and its Markdown copy', () => {
    const out = path.join(tmpDir(), 'pack');
    const r = cli('evidence', C2, '--out', out, '--json');
    expect(r.code, r.stderr).toBe(0);
    const html = path.join(out, `appeal-${C2}.html`);
    const md = path.join(out, `appeal-${C2}.md`);
    expect(JSON.parse(r.stdout)).toEqual({ refundId: C2, dir: out, files: [html, md] });
    expect(fs.readdirSync(out).sort()).toEqual([`appeal-${C2}.html`, `appeal-${C2}.md`]);
    expect(mode(out)).toBe(0o700);
    expect(mode(html)).toBe(0o600);
    expect(mode(md)).toBe(0o600);
  });

  it('holds the timeline, the buyer history and flags, the platform words and the checklist', () => {
    const out = path.join(tmpDir(), 'pack');
    expect(cli('evidence', C2, '--out', out).code).toBe(0);
    const md = fs.readFileSync(path.join(out, `appeal-${C2}.md`), 'utf8');
    expect(md).toContain('# Appeal pack · refund 2900000000000000302');
    const timeline = md.slice(md.indexOf('## Timeline'), md.indexOf('## The buyer at this shop'));
    expect(timeline.trim().split('\n').slice(4)).toEqual([
      '| 2025-06-07 09:00 | Order created |',
      '| 2025-06-07 09:01 | Order paid |',
      '| — | Shipped (中通快递 ZT1000000000302) |',
      '| 2025-06-10 09:00 | Buyer confirmed receipt |',
      '| 2025-06-26 15:00 | Refund applied: 七天无理由退换货 |',
      '| 2025-06-26 15:00 | Buyer explanation: “不喜欢” |',
      '| 2025-06-30 10:00 | Platform state: 买家已经申请退款，等待卖家同意 |',
      '| 2025-06-30 10:00 | Decision: contact the buyer by li.na · 已联系买家 |',
    ]);
    expect(md).toContain('空包达人 · Buyer 90d: 2 refunds · ¥275.00 · 0 refund-only after delivery · 0 disputes · orders 5, 2 refunded (40%)');
    expect(md).toContain('| 2900000000000000301 | 2025-05-10 10:00 | ¥199.00 | 七天无理由退换货 | closed | return: empty |');
    expect(md).toContain('- late request (late-request): buyer-side reason applied 16.2 days after receipt (2025-06-10 09:00) \\> the 7-day window');
    expect(md).toContain('- returned parcel not ours or empty (bad-return): returned parcels not ours or empty 1 in 90 days ≥ threshold 1: refund 2900000000000000301 empty at the returns desk 2025-05-14 10:00');
    expect(md).toContain('- **Buyer reason (买家退款原因)**: 七天无理由退换货');
    expect(md).toContain('- **Goods status (货物状态)**: 买家已收到货');
    for (const item of ['Chat screenshots', '签收 proof', 'Photos of the returned parcel', 'Weight of the parcel at receipt']) expect(md).toContain(item);
    expect(md).toContain('Taobao/Tmall: seller backend → 退款管理 → the refund → 申诉');
    // The receiver is masked by default.
    expect(md).toContain('138\\*\\*\\*\\*0003');
    expect(md).not.toContain('13800000003');
  });

  it('is one printable A4 page without external assets, buyer text escaped, SVG well-formed', () => {
    const out = path.join(tmpDir(), 'pack');
    expect(cli('evidence', A4, '--out', out).code).toBe(0);
    const html = fs.readFileSync(path.join(out, `appeal-${A4}.html`), 'utf8');
    expect(html).toMatch(/^<!DOCTYPE html>/);
    expect(html).toContain('@page { size: A4;');
    for (const external of [/<script/i, /\ssrc=/i, /\shref=/i, /url\(/i, /@import/i, /<link/i]) expect(html).not.toMatch(external);
    // The buyer wrote <script>alert(1)</script>: shown as text.
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('refund-only requests after delivery 3 in 90 days ≥ threshold 2');
    const svgs = svgsOf(html);
    // the buyer's reasons; the shop's refunds per day, its top reasons and products
    expect(svgs.length).toBe(4);
    expect(svgs[0]).toContain('<title>The buyer&#39;s refunds by reason, last 90 days</title>');
    for (const svg of svgs) expect(parseXml(svg)[0]).toBe('svg');
    expect(parseXml(svgs[1]!).filter((n) => n === 'polyline').length).toBe(1);
  });

  it('refuses a folder that is not empty, and a symbolic link, writing nothing', () => {
    const full = tmpDir();
    fs.writeFileSync(path.join(full, 'keep.txt'), 'mine');
    const r = cli('evidence', C2, '--out', full);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('is not an empty folder');
    expect(fs.readdirSync(full)).toEqual(['keep.txt']);

    const base = tmpDir();
    const elsewhere = path.join(base, 'elsewhere');
    fs.mkdirSync(elsewhere);
    const link = path.join(base, 'link');
    fs.symlinkSync(elsewhere, link);
    const s = cli('evidence', C2, '--out', link);
    expect(s.code).toBe(1);
    expect(s.stderr).toContain('is a symbolic link: refusing to write through it');
    expect(fs.readdirSync(elsewhere)).toEqual([]);
    expect(s.stderr).not.toMatch(/at .*\.js:\d+/);

    // A folder name with terminal escapes is shown cleaned.
    const hostile = path.join(tmpDir(), 'x\x1b[31mred');
    fs.mkdirSync(hostile);
    fs.writeFileSync(path.join(hostile, 'keep.txt'), 'mine');
    const h = cli('evidence', C2, '--out', hostile);
    expect(h.code).toBe(1);
    expect(h.stderr).toContain('is not an empty folder');
    expect(h.stderr).not.toContain('\x1b');
  });

  it('needs --out and a known refund', () => {
    const r = cli('evidence', C2);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('refunds evidence ID --out DIR');
    const u = cli('evidence', '2900000000000009999', '--out', path.join(tmpDir(), 'x'));
    expect(u.code).toBe(1);
    expect(u.stdout).toBe('');
  });

  it('takes a row number of the last today and a return waybill, like show', () => {
    const local = path.join(tmpDir(), 'rows.sqlite');
    const at = (...args: string[]) => runCli(['--db', local, '--now', BUYERS_NOW, ...args]);
    expect(at('import', ...BUYER_FILES).code).toBe(0);
    const nowhere = path.join(tmpDir(), 'none');
    const none = at('evidence', '2', '--out', nowhere);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('"2" looks like a row number, but no `refunds today` list was printed for');
    expect(fs.existsSync(nowhere)).toBe(false);
    const today = at('today');
    expect(today.code).toBe(0);
    expect(today.stdout).toMatch(/^ {2}2 {2}2900000000000000302 /m);

    const byRow = path.join(tmpDir(), 'row');
    const r = at('evidence', '2', '--out', byRow, '--json');
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ refundId: C2, dir: byRow, files: [path.join(byRow, `appeal-${C2}.html`), path.join(byRow, `appeal-${C2}.md`)] });

    const past = path.join(tmpDir(), 'past');
    const p = at('evidence', '7', '--out', past);
    expect(p.code).toBe(1);
    expect(p.stderr).toContain('The last today list (printed at 2025-06-30 10:00) has rows 1–6; there is no row 7.');
    expect(fs.existsSync(past)).toBe(false);

    // The empty parcel of refund …301, typed the way a scanner or a buyer writes it.
    const byWaybill = path.join(tmpDir(), 'waybill');
    const w = at('evidence', 'yt-9000 000000301', '--out', byWaybill, '--json');
    expect(w.code, w.stderr).toBe(0);
    expect(JSON.parse(w.stdout).refundId).toBe('2900000000000000301');
    expect(fs.readdirSync(byWaybill).sort()).toEqual(['appeal-2900000000000000301.html', 'appeal-2900000000000000301.md']);
  });

  it('speaks Chinese', () => {
    const out = path.join(tmpDir(), 'pack');
    expect(runCli(['--db', db, '--now', BUYERS_NOW, '--lang', 'zh', 'evidence', C2, '--out', out]).code).toBe(0);
    const md = fs.readFileSync(path.join(out, `appeal-${C2}.md`), 'utf8');
    expect(md).toContain('# 申诉材料 · 退款 2900000000000000302');
    expect(md).toContain('## 申诉需附材料');
    expect(md).toContain('超期申请');
  });
});
