/** Whether this runtime knows an IANA zone name: the clock and the server simulator both judge zones by it. */
export function isValidTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
