package main

import (
	"bytes"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/twmb/franz-go/pkg/kgo"
)

// Settings is what `init` says about the run.
type Settings struct {
	bootstrap         []string
	keys              []topicPartition
	keyOf             map[topicPartition]int64
	copyTo            map[int64]int64
	readCommitted     bool
	idempotent        bool
	offsetsOutsideTxn bool
	pollMs            int64
	copyBatchMax      int
	// From KAFKA_EOS_CLIENT_CONFIG (experiments): request.timeout.ms, transaction.timeout.ms, and
	// delivery.timeout.ms (kgo.RecordDeliveryTimeout, 0: none, the records' bound is the op's deadline).
	requestTimeoutMs  int64
	txnTimeoutMs      int64
	deliveryTimeoutMs int64
	// Protocol 2's `security` (--client-config) as kgo options every client gets, or why it could not be read.
	connOpts    []kgo.Opt
	securityErr error
}

type topicPartition struct {
	topic     string
	partition int32
}

func newSettings(m map[string]any) *Settings {
	s := &Settings{keyOf: map[topicPartition]int64{}, copyTo: map[int64]int64{}, requestTimeoutMs: 3_000, txnTimeoutMs: 30_000}
	for _, b := range m["bootstrap_servers"].([]any) {
		s.bootstrap = append(s.bootstrap, b.(string))
	}
	keys := m["keys"].([]any)
	s.keys = make([]topicPartition, len(keys))
	for _, k := range keys {
		km := k.(map[string]any)
		tp := topicPartition{km["topic"].(string), int32(asInt(km["partition"]))}
		s.keys[asInt(km["key"])] = tp
		s.keyOf[tp] = asInt(km["key"])
	}
	for _, p := range m["copy_to"].([]any) {
		pair := p.([]any)
		s.copyTo[asInt(pair[0])] = asInt(pair[1])
	}
	s.readCommitted = m["read_committed"] == true
	s.idempotent = m["idempotent"] == true
	s.offsetsOutsideTxn = m["offsets_outside_txn"] == true
	s.pollMs = asInt(m["poll_ms"])
	s.copyBatchMax = int(asInt(m["copy_batch_max"]))
	s.connOpts, s.securityErr = securityOpts(m["security"])
	for _, item := range strings.Split(os.Getenv("KAFKA_EOS_CLIENT_CONFIG"), ",") {
		kv := strings.SplitN(strings.TrimSpace(item), "=", 2)
		if len(kv) != 2 {
			continue
		}
		n, err := strconv.ParseInt(kv[1], 10, 64)
		if err != nil {
			continue
		}
		switch kv[0] {
		case "producer.request.timeout.ms":
			s.requestTimeoutMs = n
		case "producer.transaction.timeout.ms":
			s.txnTimeoutMs = n
		case "producer.delivery.timeout.ms":
			s.deliveryTimeoutMs = n
		}
	}
	return s
}

func bytesReader(b []byte) io.Reader { return bytes.NewReader(b) }
