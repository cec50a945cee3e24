/**
 * The `usbExport` section: CSV export to USB drives (docs/monitoring.md, "CSV export").
 */
import { z } from 'zod';

export const usbExportConfig = z.object({
  /**
   * Folders offered as USB drives besides the mounts under /media and /run/media: a site whose sticks mount
   * elsewhere, or a test's temporary folder. They are listed only while they exist.
   */
  extraDirs: z.array(z.string().min(1)).default([]),
}).strict();
