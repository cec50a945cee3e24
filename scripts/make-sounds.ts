/**
 * Writes the kiosk's two feedback sounds (accepted / rejected) as small 16-bit mono WAV files into
 * assets/sounds. Generated rather than downloaded so their licence is ours; run once after changing them.
 */
import { writeFileSync } from 'node:fs';

const RATE = 22_050;

function tone(notes: Array<{ hz: number; ms: number }>, volume = 0.35): Buffer {
  const samples: number[] = [];
  for (const { hz, ms } of notes) {
    const n = Math.round((RATE * ms) / 1000);
    for (let i = 0; i < n; i++) {
      const envelope = Math.min(1, i / 200, (n - i) / 400); // soft edges: no clicks on cheap speakers
      samples.push(Math.sin((2 * Math.PI * hz * i) / RATE) * envelope * volume);
    }
  }
  const data = Buffer.alloc(samples.length * 2);
  samples.forEach((s, i) => data.writeInt16LE(Math.round(s * 32767), i * 2));
  const header = Buffer.alloc(44);
  header.write('RIFF', 0);
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVEfmt ', 8);
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(RATE, 24);
  header.writeUInt32LE(RATE * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36);
  header.writeUInt32LE(data.length, 40);
  return Buffer.concat([header, data]);
}

writeFileSync('assets/sounds/accepted.wav', tone([{ hz: 880, ms: 110 }, { hz: 1320, ms: 160 }]));
writeFileSync('assets/sounds/rejected.wav', tone([{ hz: 330, ms: 180 }, { hz: 247, ms: 260 }]));
console.log('wrote assets/sounds/accepted.wav and rejected.wav');
