// The `leader-move` fault family: leaders that move while clients write, without a crash. Kill, pause and
// partitions lose a leader abruptly; what they rarely make is the ordinary move of a healthy cluster: a
// rolling restart (a controlled shutdown hands the node's leaderships to followers first) and the
// preferred-leader election that moves them back afterwards. At each move the old leader answers every
// produce waiting in its purgatory for acks=all with NOT_LEADER_OR_FOLLOWER, although the followers,
// which fetch within milliseconds, may already hold the batch and the new leader keeps it: "maybe
// written" behind a retriable error, at every move under load. That is the state in which franz-go
// v1.22.1 (twmb/franz-go#1484) fails a batch by its record deadline and gives its sequence to the next
// record (docs/bug-finding.md). So one fault is two moves:
// - `start-leader-move` n: a graceful stop of broker n (SIGTERM, the broker's controlled shutdown, then
//   the process ends; SIGKILL only after a long grace period);
// - `stop-leader-move` n: start n again, then a preferred-leader election over every partition, retried
//   until n is back in the ISRs it leads by preference (an election needs the preferred replica in sync).
// The node comes from the seed's schedule like every other fault's (a program is fixed before the run);
// it is not chosen as "the current leader of a run partition": that would make the schedule depend on
// the cluster. With three nodes and every partition replicated three ways each node leads about a third
// of the run's partitions and of the coordinators' partitions, so every shutdown moves some of them.

/** How long a broker may take for its controlled shutdown before docker sends SIGKILL. */
export const SHUTDOWN_GRACE_SECONDS = 60;

/**
 * Tries of the preferred-leader election, the pause between them (the restarted node catches up in a
 * second or two once it listens), and the bound on each try. Few and bounded: the nemesis plays its
 * schedule one op at a time, and while another family holds a node down (paused, killed) no try can elect
 * that node's partitions, so a long retry would hold back that node's resume (seen: 37 s with 8 tries, and
 * 55 s with 3): then the controller asks for one try only.
 */
export const ELECTION_TRIES = 3;
export const ELECTION_PAUSE_SECONDS = 2;
export const ELECTION_TRY_SECONDS = 20;

/**
 * The shell script, run in a live broker's container, that elects every partition's preferred leader,
 * again and again until no partition is left whose preferred replica could not be elected. Kafka's own
 * tool exits 0 when every election succeeded or was not needed, and 1 when some preferred replica was not
 * in sync yet (the node that just started is still catching up): then it tries again. It first waits (up
 * to 60 s) for the listeners `waitFor` (host:port of the nodes just started) to accept connections: a try
 * before a node listens cannot succeed and costs a JVM start on a machine the brokers keep busy.
 */
export function preferredElectionScript(bootstrap: string, waitFor: readonly string[] = [], tries = ELECTION_TRIES, pauseSeconds = ELECTION_PAUSE_SECONDS): string {
  const tool = `KAFKA_HEAP_OPTS=-Xmx128m KAFKA_LOG_OPTS=-Dorg.slf4j.simpleLogger.defaultLogLevel=warn timeout ${ELECTION_TRY_SECONDS} `
    + `/opt/kafka/bin/kafka-run-class.sh org.apache.kafka.tools.LeaderElectionCommand --bootstrap-server ${bootstrap} `
    + '--election-type PREFERRED --all-topic-partitions';
  const listening = waitFor.map((hostPort) => {
    const [host, port] = hostPort.split(':');
    return `i=0; until bash -c '</dev/tcp/${host}/${port}' 2>/dev/null || [ $i -ge 120 ]; do i=$((i+1)); sleep 0.5; done; sleep 1`;
  });
  return [
    ...listening,
    `i=0; while [ $i -lt ${tries} ]; do`,
    '  i=$((i+1))',
    `  if out=$(${tool} 2>&1); then echo "elected on try $i"; echo "$out" | tail -n 3; exit 0; fi`,
    `  sleep ${pauseSeconds}`,
    'done',
    `echo "no full preferred-leader election in ${tries} tries; the last said:"; echo "$out" | tail -n 5; exit 1`,
  ].join('\n');
}

/** The nodes an election may run on: live, not frozen, and not the ones just started (prefer the settled). */
export function electionCandidates(nodeIds: readonly number[], down: ReadonlySet<number>, justStarted: readonly number[]): number[] {
  const live = nodeIds.filter((n) => !down.has(n));
  const settled = live.filter((n) => !justStarted.includes(n));
  return settled.length > 0 ? settled : live;
}

/**
 * An experiment's knob (docs/bug-finding.md, franz-go#1484), off by default: KAFKA_EOS_LEADER_MOVE_LAG_MS=N
 * freezes a follower for N ms before each controlled shutdown, and thaws it once the shutdown is done.
 * Produces to the node being shut down then wait in its purgatory for the frozen follower (still in the
 * ISR) and are answered NOT_LEADER_OR_FOLLOWER seconds old when the leadership moves: old enough for a
 * client's record timeout (franz-go's is at least 1 s), which a move in a healthy ISR never is. The
 * frozen node is the shut-down one's successor among the live nodes, so the schedule alone still decides.
 */
export function laggingFollowerMs(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env['KAFKA_EOS_LEADER_MOVE_LAG_MS'];
  const ms = Number(raw ?? 0);
  if (!Number.isInteger(ms) || ms < 0 || ms > 8_000) {
    throw new Error(`KAFKA_EOS_LEADER_MOVE_LAG_MS must be whole milliseconds from 0 to 8000 (a follower frozen 9 s is fenced), got '${raw}'`);
  }
  return ms;
}

/** The live node after `node` in id order (wrapping), not `node` itself; undefined when there is none. */
export function laggingFollower(nodeIds: readonly number[], node: number, down: ReadonlySet<number>): number | undefined {
  const sorted = [...nodeIds].sort((a, b) => a - b);
  const at = sorted.indexOf(node);
  return [...sorted.slice(at + 1), ...sorted.slice(0, at)].find((n) => !down.has(n));
}
