/**
 * A UI flooding the browser host from its own process (test/fuzz/contract-messages.test.ts), so the rate it
 * offers does not depend on the kiosk's event loop keeping up: FLOOD = {url, frames, perSecond, seconds}.
 * Sends the frames round-robin, paced by the clock, then waits (at most 30 s) for a reply to each and prints
 * one JSON line: {sent, replies, sendSeconds, badReplies}.
 */
import { performance } from 'node:perf_hooks';
import { setTimeout as pause } from 'node:timers/promises';
import { WebSocket } from 'ws';

const { url, frames, perSecond, seconds } = JSON.parse(process.env.FLOOD ?? '{}') as { url: string; frames: string[]; perSecond: number; seconds: number };
const { host, origin } = new URL(url);
const socket = new WebSocket(`ws://${host}/kiosk`, { headers: { Origin: origin } });
let replies = 0;
let badReplies = 0;
socket.on('message', (data) => {
  const message = JSON.parse(String(data)) as { type?: string; ok?: boolean; error?: { code?: string; message?: string } };
  if (message.type !== 'reply') return;
  replies += 1;
  if (message.ok === false && (!message.error?.code || (message.error.message ?? '').length < 5)) badReplies += 1;
});
await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));

const total = perSecond * seconds;
const started = performance.now();
let sent = 0;
while (sent < total) {
  const due = Math.min(total, Math.floor(((performance.now() - started) / 1000) * perSecond));
  for (; sent < due; sent++) socket.send(frames[sent % frames.length]!);
  await pause(2);
}
const sendSeconds = (performance.now() - started) / 1000;
const deadline = Date.now() + 30_000;
while (replies < sent && Date.now() < deadline) await pause(20);
process.stdout.write(`${JSON.stringify({ sent, replies, sendSeconds, badReplies })}\n`);
socket.close();
process.exit(0);
