import readline from 'node:readline';

/** Reads a password from the terminal without echoing it. */
export function readPassword(prompt: string): Promise<string> {
  if (!process.stdin.isTTY) throw new Error('--password is required when not on a terminal');
  return new Promise((resolve) => {
    const rl = readline.createInterface({ input: process.stdin, output: process.stdout, terminal: true });
    (rl as any)._writeToOutput = (s: string) => { if (s.includes(prompt)) process.stdout.write(s); };
    rl.question(prompt, (answer) => { rl.close(); process.stdout.write('\n'); resolve(answer); });
  });
}
