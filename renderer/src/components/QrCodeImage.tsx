import { useEffect, useState, type ReactNode } from 'react';
import QRCode from 'qrcode';

/**
 * A QR code drawn from `content` on a white quiet zone; until it is drawn (or if it cannot be) the space
 * holds `fallback`, never an empty white square.
 */
export function QrCodeImage({ content, label, testId, fallback }: { content: string | null; label: string; testId: string; fallback: ReactNode }) {
  const [image, setImage] = useState<string | null>(null);
  useEffect(() => {
    if (!content) return setImage(null);
    let live = true;
    QRCode.toDataURL(content, { margin: 2, width: 480, errorCorrectionLevel: 'M' })
      .then((url) => live && setImage(url))
      .catch(() => live && setImage(null));
    return () => {
      live = false;
    };
  }, [content]);
  return image ? <img className="qr-image" data-testid={testId} src={image} alt={label} /> : <>{fallback}</>;
}
