#!/usr/bin/env bash
# Issue 14's figure: a run against --bootstrap of a cluster started by `kafka-eos cluster up` gives the
# same verdict kinds as a managed run of the same seed. For each seed: a managed run (the harness' own
# cluster, docker faults), then the same flags against a `cluster up --ssh --sasl` cluster (alice's
# client config, faults through SSH). Prints one line per seed. Run it under the Kafka lock:
#   flock /work/kafka.lock scripts/external-vs-managed.sh 3 7
set -euo pipefail
cd "$(dirname "$0")/.."
seeds=("${@:-3}")
flags=(--target kafka --time-limit "${TIME_LIMIT:-30}" --nemesis partition,kill,pause --client-fix abort-filter)
work="$(mktemp -d /tmp/external-vs-managed-XXXXXX)"
kind() { python3 -c "import json,sys; v=json.load(open(sys.argv[1])); print(v['outcome'] + (' ' + ','.join(v['anomalyTypes']) if v['anomalyTypes'] else ''))" "$1"; }
for seed in "${seeds[@]}"; do
  node bin/kafka-eos.js run --seed "$seed" "${flags[@]}" --out "$work/managed-$seed" >/dev/null 2>&1 || true
done
node bin/kafka-eos.js cluster up --ssh "$work/ssh" --sasl "$work/sasl" > "$work/up.out" 2>/dev/null
trap 'node bin/kafka-eos.js cluster down >/dev/null 2>&1' EXIT
set -a; . "$work/sasl/passwords.env"; set +a
for seed in "${seeds[@]}"; do
  node bin/kafka-eos.js run --seed "$seed" "${flags[@]}" --bootstrap "$(tail -1 "$work/up.out")" --client-config "$work/sasl/alice.properties" \
    --faults ssh --nodes-file "$work/ssh/nodes.json" --out "$work/external-$seed" >/dev/null 2>&1 || true
  printf 'seed %s: managed %-40s external %s\n' "$seed" "$(kind "$work/managed-$seed/verdict.json")" "$(kind "$work/external-$seed/verdict.json")"
done
echo "runs in $work"
