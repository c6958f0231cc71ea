// The Kafka versions the harness defaults to, apart from the image code so that the command line can
// name them without loading Docker's client.

/** Newest 4.x release that resolved on Maven Central when this was written (checked 2026-11-28). */
export const DEFAULT_KAFKA_VERSION = '4.4.0';
/** Newest 3.9.x: the last line with transaction version 1 only (for the TV1 vs TV2 matrix). */
export const KAFKA_3_VERSION = '3.9.2';
