/** Prints the start-up lines, runs until SIGINT or SIGTERM, then closes the emulator and says so. */
export async function serveUntilSignal(lines: string[], emu: { close(): Promise<void> }, name: string): Promise<void> {
  process.stdout.write(`${[...lines, "Press Ctrl+C to stop."].join("\n")}\n`);
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      resolve();
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
  await emu.close();
  process.stdout.write(`${name} emulator stopped.\n`);
}
