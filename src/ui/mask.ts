// Personal data on paper and screens: phones and addresses masked unless asked for.

/** 13812345678 -> 138****5678; other numbers keep their first 3 and last 2 characters. */
export function maskPhone(phone: string | null): string {
  if (!phone) return '';
  const p = phone.replace(/\s/g, '');
  if (/^1\d{10}$/.test(p)) return `${p.slice(0, 3)}****${p.slice(7)}`;
  if (p.length <= 5) return '*'.repeat(p.length);
  return `${p.slice(0, 3)}${'*'.repeat(p.length - 5)}${p.slice(-2)}`;
}

/** Keeps the province/city part (first 6 characters) of an address, masks the rest. */
export function maskAddress(address: string | null): string {
  if (!address) return '';
  const chars = [...address.trim()];
  if (chars.length <= 6) return '*'.repeat(chars.length);
  return `${chars.slice(0, 6).join('')}****`;
}
