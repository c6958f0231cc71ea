// What the checker needs to know about the generated program beyond the history itself. Defined
// here, not imported from harness/workload, so that the checker stays a pure function of plain data;
// the runner maps its program.json onto this shape (docs/anomalies.md, "Program metadata").

/** One consume-transform-produce copier: a transactional producer plus a read_committed consumer. */
export interface CopierInfo {
  /** The copier's transactional.id as written in program.json (a logical name, stable across restarts). */
  transactionalId: string;
  /** Consumer group whose committed offsets the copier's transactions advance. */
  group: string;
  /** Keys it consumes; a record (inputKeys[i], v) is copied to (outputKeys[i], v). */
  inputKeys: number[];
  outputKeys: number[];
  /**
   * History processes that ran this copier, one per producer instance, if the runner knows them.
   * Without them (and without `txnId` on events), a txn op is attributed to the copier when it
   * polled only the copier's input keys and sent only to its output keys.
   */
  processes?: number[];
}

export interface ProgramInfo {
  copiers?: CopierInfo[];
  /**
   * The groups' committed offsets read once the run ended (admin listConsumerGroupOffsets):
   * group → key (decimal string) → next offset to consume. Optional; enables ctp-offset-mismatch.
   */
  groupOffsets?: Record<string, Record<string, number>>;
}
