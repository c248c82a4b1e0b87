/** "24h", "6h", "90m", "2d" / "24小时", "2天": a window length for people. */
export function formatDuration(ms: number, lang: 'en' | 'zh'): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes % 1440 === 0 && minutes >= 2880) return lang === 'zh' ? `${minutes / 1440}天` : `${minutes / 1440}d`;
  if (minutes % 60 === 0) return lang === 'zh' ? `${minutes / 60}小时` : `${minutes / 60}h`;
  return lang === 'zh' ? `${minutes}分钟` : `${minutes}m`;
}
