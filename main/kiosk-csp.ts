/**
 * The kiosk's Content-Security-Policy. Everything comes from our own origin; nothing inline may run, nothing may
 * be framed, posted or based elsewhere. Images, sounds and fonts may also be data:/blob: URLs (camera frames and
 * generated QR codes are). This module imports nothing from Electron so the browser host can send the same header.
 */
export const KIOSK_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "media-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join('; ');

/** Response headers with our policy replacing any the response brought (header names are case-insensitive). */
export function withKioskCsp(headers: Record<string, string[]> = {}): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (name.toLowerCase() !== 'content-security-policy') out[name] = value;
  }
  out['Content-Security-Policy'] = [KIOSK_CSP];
  return out;
}
