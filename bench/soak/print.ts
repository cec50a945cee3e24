/** The soak's report on the console: the counts, recovery per fault kind, memory, and the verdict. */
export function printReport(report: Record<string, unknown>): void {
  const f = report.figures as Record<string, unknown>;
  const line = (label: string, value: unknown) => console.log(`  ${label.padEnd(34)} ${typeof value === 'object' ? JSON.stringify(value) : String(value)}`);
  console.log(`\nsoak report (seed ${String(f.seed)}, ${String(f.seconds)} s${f.quick ? ', quick' : ''})`);
  line('items inserted', f.itemsInserted);
  line('accepted into a bin (controller)', f.acceptedIntoBins);
  line('handed back', f.handedBack);
  line('credited (screen told accepted)', f.credited);
  line('delivered to the server (by id)', `${String(f.deliveredClientIds)} (${String(f.deliveriesAtServer)} deliveries)`);
  line('LOST (must be 0)', f.lost);
  line('DELIVERED TWICE (must be 0)', `${String(f.duplicated)} ${JSON.stringify(f.duplicateCauses)}`);
  line('dropped but not delivered', f.droppedButNotDelivered);
  line('delivered without a drop', f.deliveredWithoutDrop);
  line('delivered, not shown accepted', f.deliveredNotShownOnScreen);
  line('pulled back but told accepted', f.pulledBackToldAccepted);
  line('left in the intake (by hand)', f.leftInIntake);
  line('inserted outside a session', f.insertedOutsideSession);
  line('sessions started / cut by a kill', `${String(f.sessionsStarted)} / ${String(f.sessionsInterruptedByKill)} (resumed: ${String(f.sessionsResumedAfterKill)})`);
  line('faults injected', f.faults);
  console.log('  recovery per fault kind (ms):');
  for (const [kind, r] of Object.entries(f.recovery as Record<string, { n: number; p50Ms: number; maxMs: number; notRecovered: number }>)) {
    console.log(`    ${kind.padEnd(14)} n ${String(r.n).padStart(4)}  p50 ${String(r.p50Ms).padStart(6)}  max ${String(r.maxMs).padStart(6)}${r.notRecovered ? `  not recovered ${r.notRecovered}` : ''}`);
  }
  line('pace', `${String(f.itemsPerMinute)} items/min; no-fault item: insert → screen p50 ${String(f.itemToScreenMsP50)} ms, whole turn p50 ${String(f.loopTurnMsP50)} ms`);
  line('peak RSS (MiB)', f.peakRssMiB);
  line('RSS trend (longest life)', f.rssTrend);
  console.log(`  met: ${String(report.met)} (targets ${JSON.stringify(report.targets)})`);
}
