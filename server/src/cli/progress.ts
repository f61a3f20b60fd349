import cliProgress from 'cli-progress';

/**
 * Progress for long CLI work: a bar on a terminal, a plain line every few seconds
 * otherwise (CI logs). Drawn from the callback itself, not a timer, because
 * PGlite's synchronous WASM work can starve timers for long stretches.
 */
export function progressReporter(label: string) {
  const tty = process.stderr.isTTY;
  const bar = tty ? new cliProgress.SingleBar({ format: `${label} |{bar}| {percentage}% {value}/{total} {duration}s`, stream: process.stderr }, cliProgress.Presets.shades_classic) : null;
  const t0 = Date.now();
  let started = false;
  let lastLine = 0;
  return {
    update(done: number, total: number) {
      if (bar) {
        if (!started) { bar.start(total, done); started = true; }
        bar.setTotal(Math.max(total, done));
        bar.update(done);
        return;
      }
      const now = Date.now();
      if (now - lastLine >= 3000 || done >= total) {
        lastLine = now;
        const pct = total ? Math.floor((done / total) * 100) : 100;
        process.stderr.write(`${label}: ${done.toLocaleString('en-US')}/${total.toLocaleString('en-US')} (${pct}%) ${((now - t0) / 1000).toFixed(0)} s\n`);
      }
    },
    stop() { bar?.stop(); },
  };
}
