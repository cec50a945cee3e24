/**
 * CSV built in the browser (the audit log), RFC 4180 like the core's exports: CRLF line ends, fields with a
 * comma, quote, CR or LF quoted, quotes doubled. A text cell starting with = + - @ tab or CR gets a leading
 * apostrophe, so a technician's note cannot run as a formula when the file is opened in a spreadsheet.
 */
export type CsvValue = string | number | boolean | null;

export function csvCell(value: CsvValue): string {
  if (value === null) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(head: string[], rows: CsvValue[][]): string {
  return [head, ...rows].map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

/** Joins CSV texts of consecutive ranges into one file: the header row is kept from the first only. */
export function joinCsvChunks(chunks: string[]): string {
  return chunks
    .map((csv, i) => {
      if (i === 0) return csv;
      const end = csv.indexOf('\r\n');
      return end < 0 ? '' : csv.slice(end + 2);
    })
    .join('');
}
