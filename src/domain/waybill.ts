/** Waybill numbers as scanners and buyers type them: spaces, dashes and dots dropped, upper case. */
export function waybillKey(waybill: string): string {
  return waybill.replace(/[\s\-_.]/g, '').toUpperCase();
}
