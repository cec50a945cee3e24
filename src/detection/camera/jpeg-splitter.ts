/**
 * Cuts a byte stream of back-to-back JPEG images (ffmpeg `-f image2pipe`, MJPEG) into single images: each one
 * runs from its SOI marker (FF D8) to its EOI marker (FF D9). Inside the entropy-coded data a literal FF is
 * always stuffed as FF 00, so FF D9 cannot occur there. Bytes outside an image are dropped, and an image that
 * grows past maxBytes is abandoned so a broken stream cannot eat memory.
 */
export class JpegSplitter {
  /** Bytes received and not yet cut, in a buffer that grows by doubling (pipes deliver small chunks). */
  private buffer = Buffer.alloc(64 * 1024);
  private length = 0;
  /** Where to resume the EOI search, so each byte is scanned once. */
  private scanFrom = 2;

  constructor(private readonly maxBytes = 16 * 1024 * 1024) {}

  push(chunk: Buffer): Buffer[] {
    this.append(chunk);
    const images: Buffer[] = [];
    for (;;) {
      const data = this.buffer.subarray(0, this.length);
      const start = data.indexOf(SOI);
      if (start < 0) {
        // Keep a trailing FF: it may be the first half of the next SOI.
        this.drop(data.at(-1) === 0xff ? this.length - 1 : this.length);
        break;
      }
      if (start > 0) {
        this.drop(start);
        continue;
      }
      const end = data.indexOf(EOI, this.scanFrom);
      if (end < 0) {
        this.scanFrom = Math.max(2, this.length - 1);
        if (this.length > this.maxBytes) this.drop(this.length);
        break;
      }
      images.push(Buffer.from(data.subarray(0, end + 2)));
      this.drop(end + 2);
    }
    return images;
  }

  private append(chunk: Buffer): void {
    if (this.length + chunk.length > this.buffer.length) {
      const grown = Buffer.alloc(Math.max(this.buffer.length * 2, this.length + chunk.length));
      this.buffer.copy(grown, 0, 0, this.length);
      this.buffer = grown;
    }
    chunk.copy(this.buffer, this.length);
    this.length += chunk.length;
  }

  /** Forget the first `count` bytes. */
  private drop(count: number): void {
    this.buffer.copyWithin(0, count, this.length);
    this.length -= count;
    this.scanFrom = 2;
  }
}

const SOI = Buffer.from([0xff, 0xd8]);
const EOI = Buffer.from([0xff, 0xd9]);
