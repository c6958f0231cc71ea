// The run writes its report through the reports module; kept behind one function so that the run
// does not fail when rendering does (the verdict and histories are what matter; the report can be
// rewritten later with `kafka-eos report DIR`).
export async function renderRunReport(outDir: string): Promise<string | null> {
  try {
    // `--client a,b`: the clients' runs side by side, each with its own report in its subdirectory.
    const { comparePageIfMultiClient } = await import('../clients/compare-page.ts');
    const compared = comparePageIfMultiClient(outDir);
    if (compared) return compared;
    const reports = (await import('../../reports/index.ts')) as { writeReport?: (dir: string) => Promise<string> };
    return reports.writeReport ? await reports.writeReport(outDir) : null;
  } catch (error) {
    process.stderr.write(`kafka-eos: the report could not be written (${(error as Error).message}); rerun \`kafka-eos report ${outDir}\`\n`);
    return null;
  }
}
