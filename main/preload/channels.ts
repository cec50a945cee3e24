/**
 * The three IPC channels between the Electron main process and the preload. They carry the contract's wire
 * envelopes (src/contract/wire.ts) unchanged, so the Electron host and the browser host speak the same messages.
 * This file must stay free of imports: the sandboxed preload bundle includes it.
 */
export const IPC_COMMAND = 'rvm:command'; // renderer → main, invoke: CommandMessage → ReplyMessage
export const IPC_EVENT = 'rvm:event'; // main → renderer, send: EventMessage
export const IPC_READY = 'rvm:ready'; // renderer → main, send: the UI is listening; replay the state
