/**
 * A CSV as a file the browser host can save: a Blob behind an object URL for a visible download link (an
 * <a download>), rather than a click we fake, so the technician starts the download and sees the file name.
 */
import { useEffect, useState } from 'react';

export interface Download {
  filename: string;
  url: string;
  blob: Blob;
}

/** Holds the current download; the previous object URL is revoked when replaced or unmounted, so blobs do not pile up. */
export function useDownload(): [Download | null, (filename: string, csv: string) => void] {
  const [download, setDownload] = useState<Download | null>(null);
  useEffect(() => () => (download ? URL.revokeObjectURL(download.url) : undefined), [download]);
  const offer = (filename: string, csv: string) => {
    const blob = new Blob([csv], { type: 'text/csv;charset=utf-8' });
    setDownload({ filename, blob, url: URL.createObjectURL(blob) });
  };
  return [download, offer];
}

/** Several files at once (one CSV per kind): all previous object URLs go when the list is replaced or unmounted. */
export function useDownloads(): [Download[], (files: Array<{ filename: string; csv: string }>) => void] {
  const [downloads, setDownloads] = useState<Download[]>([]);
  useEffect(() => () => downloads.forEach((d) => URL.revokeObjectURL(d.url)), [downloads]);
  const offer = (files: Array<{ filename: string; csv: string }>) =>
    setDownloads(
      files.map(({ filename, csv }) => {
        const blob = new Blob([csv], { type: 'text/csv;charset=utf-8' });
        return { filename, blob, url: URL.createObjectURL(blob) };
      }),
    );
  return [downloads, offer];
}

export function DownloadLink({ download, testId, label }: { download: Download | null; testId: string; label: string }) {
  if (!download) return null;
  return (
    <a className="button small download-link" data-testid={testId} href={download.url} download={download.filename}>
      {label} · {download.filename}
    </a>
  );
}
