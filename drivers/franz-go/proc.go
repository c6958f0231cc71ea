package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/kmsg"
	"github.com/twmb/franz-go/pkg/kversion"
)

var (
	helperOnce sync.Once
	helperCl   *kgo.Client
	helperErr  error
)

// helper is the driver's own client for the requests franz-go sends only from a GroupTransactSession
// (AddOffsetsToTxn, TxnOffsetCommit, EndTxn of an offsets-only transaction) and for OffsetFetch. It
// speaks TxnOffsetCommit <= v5 and OffsetCommit <= v9: later versions name topics by id, which a
// hand-built request does not carry. The producer's own epoch and id go into every request.
func helper(s *Settings) (*kgo.Client, error) {
	helperOnce.Do(func() {
		versions := kversion.Stable()
		versions.SetMaxKeyVersion(int16(kmsg.TxnOffsetCommit), 5)
		versions.SetMaxKeyVersion(int16(kmsg.OffsetCommit), 9)
		helperCl, helperErr = kgo.NewClient(append([]kgo.Opt{kgo.SeedBrokers(s.bootstrap...), kgo.ClientID("kafka-eos-driver"), kgo.MaxVersions(versions)}, s.connOpts...)...)
	})
	return helperCl, helperErr
}

// Proc is one client process (Jepsen's process): a producer client and a consumer client that live
// and die together. Ops run one at a time, each on a goroutine bounded by the op's deadline, whose
// context every franz-go call gets (a produce included: the op's deadline is the record's).
type Proc struct {
	s       *Settings
	process atomic.Int64 // changes when the process carries on as another (continue)
	txnID   string
	group   string

	mu            sync.Mutex // one op at a time
	producer      *kgo.Client
	producerReady bool
	consumer      *kgo.Client
	subscribed    bool
	assigned      map[int64]bool
	epoch         int16 // the producer epoch after init or the last commit: a bump per commit is transaction version 2
	txnVersion    int
	rebalanced    atomic.Bool
	// A rollback that could not be done (the group's committed offsets unreadable, mostly because the
	// op's deadline had passed): done before the next op reads, so that a process that carries on
	// (continue) never reads on from the position of a transaction that did not commit.
	pendingRollback *pendingRollback
	abandoned       atomic.Bool
	cancelOp        atomic.Pointer[context.CancelFunc]
}

type pendingRollback struct {
	firstRead   map[int64]int64
	toCommitted bool
}

func newProc(s *Settings, process int64, txnID, group string) *Proc {
	proc := &Proc{s: s, txnID: txnID, group: group, assigned: map[int64]bool{}, epoch: -1}
	proc.process.Store(process)
	return proc
}

// op is an op in flight: its value, rewritten in place as mops complete (the timer reads it).
type op struct {
	f        string
	abort    bool
	value    any
	mu       sync.Mutex
	out      []any
	deadline time.Time
}

func (o *op) set(i int, mop any) {
	o.mu.Lock()
	o.out[i] = mop
	o.mu.Unlock()
}

func (o *op) snapshot() any {
	if o.f == "crash" {
		return nil
	}
	if o.f == "assign" || o.f == "subscribe" {
		return o.value
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	return append([]any(nil), o.out...)
}

func (p *Proc) invoke(id int64, raw map[string]any, deadlineMs int64) {
	o := &op{f: raw["f"].(string), abort: raw["abort"] == true, value: raw["value"], deadline: time.Now().Add(time.Duration(deadlineMs) * time.Millisecond)}
	if o.f == "copy" {
		o.value = []any{[]any{"poll"}}
	}
	if list, ok := o.value.([]any); ok {
		o.out = append([]any(nil), list...)
	}
	var answered atomic.Bool
	answer := func(m map[string]any) {
		if answered.CompareAndSwap(false, true) && !p.abandoned.Load() {
			m["in_reply_to"] = id
			send(m)
		}
	}
	timer := time.AfterFunc(time.Duration(deadlineMs)*time.Millisecond, func() {
		answer(p.result(o, outcome{"info", fmt.Sprintf("timeout: %s took longer than %d ms", o.f, deadlineMs), true, false}))
	})
	go func() {
		p.mu.Lock()
		defer p.mu.Unlock()
		if answered.Load() {
			// Answered `info` by its timer while an earlier op held the client (a carried-on process
			// behind a stuck produce): nobody waits for it any more, and `info` allows not running it.
			return
		}
		// The op's own deadline comes a little before the timer's, so that an op cut off answers with
		// its own classification (a txn whose commit was never attempted is a definite failure).
		ctx, cancel := context.WithDeadline(context.Background(), o.deadline.Add(-opMargin(deadlineMs)))
		p.cancelOp.Store(&cancel)
		defer cancel()
		var res map[string]any
		func() {
			defer func() {
				if r := recover(); r != nil {
					res = p.result(o, outcome{"info", fmt.Sprintf("driver panic: %v", r), true, false})
				}
			}()
			res = p.run(ctx, o)
		}()
		timer.Stop()
		answer(res)
	}()
}

func opMargin(deadlineMs int64) time.Duration {
	return time.Duration(min(200, deadlineMs/10)) * time.Millisecond
}

// renumber makes the process go on as `next`, at once: the harness sends `continue` only after the
// running op was answered (an `info` by its timer, if it still runs), so nothing of that op is sent
// under the new number. Waiting for the op to end instead stalled a worker for a whole run: franz-go's
// ProduceSync does not return at its context's end while an idempotent batch may be on the broker, so
// `continue` went unanswered (168 `info` ops of one worker, franz-go v1.22.1+carry-on, seed 1). The
// next op waits for the running one and is answered `info` by its own timer if the client stays stuck.
func (p *Proc) renumber(next int64) {
	p.process.Store(next)
}

// abandon lets go of the clients at once; a running op ends with them.
func (p *Proc) abandon() {
	p.abandoned.Store(true)
	if c := p.cancelOp.Load(); c != nil {
		(*c)()
	}
	go func() {
		p.mu.Lock()
		defer p.mu.Unlock()
		if p.producer != nil {
			p.producer.Close()
		}
		if p.consumer != nil {
			p.consumer.Close()
		}
	}()
}

func (p *Proc) run(ctx context.Context, o *op) map[string]any {
	if p.txnID != "" && o.f != "crash" {
		// Fences every older instance of the transactional id before the consumer reads committed offsets.
		if err := p.ensureProducer(ctx); err != nil {
			c := classify(err).prefixed("InitProducerID: ")
			return p.result(o, c.as(c.typ, true))
		}
	}
	if p.pendingRollback != nil && o.f != "crash" {
		// Found in a carry-on run (franz-go v1.22.2, seed 1, kill,partition): a copy that timed out could
		// not read the committed offsets with its expired context, and the next copy read on from the
		// aborted one's position: inputs processed zero times (ctp-lost-input).
		if !p.rollback(ctx, p.pendingRollback.firstRead, p.pendingRollback.toCommitted) {
			return p.result(o, outcome{"fail", "could not move the consumer back to the group's committed offsets after a transaction that did not commit", true, false})
		}
	}
	switch o.f {
	case "assign":
		return p.assign(ctx, o)
	case "subscribe":
		return p.subscribe(o)
	case "crash":
		return p.result(o, outcome{"info", "crash", true, false})
	case "poll":
		polled, err := p.poll(ctx)
		if err != nil {
			// Nothing was written and positions move only with returned records: a definite failure.
			c := classify(err)
			return p.result(o, outcome{"fail", c.err, false, false})
		}
		o.set(0, []any{"poll", polledJSON(polled)})
		return p.ok(o)
	case "send":
		return p.send(ctx, o)
	case "txn":
		return p.txn(ctx, o, false)
	case "copy":
		return p.txn(ctx, o, true)
	}
	return p.result(o, outcome{"info", "unknown op " + o.f, true, false})
}

func (p *Proc) logger(kind string) kgo.Logger {
	level := kgo.LogLevelWarn
	switch os.Getenv("KAFKA_EOS_FRANZ_LOG") {
	case "info":
		level = kgo.LogLevelInfo
	case "debug":
		level = kgo.LogLevelDebug
	}
	prefix := fmt.Sprintf("[%s%d] ", kind, p.process.Load())
	return kgo.BasicLogger(os.Stderr, level, func() string { return time.Now().Format("15:04:05.000 ") + prefix })
}

func (p *Proc) ensureProducer(ctx context.Context) error {
	if p.producer != nil && p.producerReady {
		return nil
	}
	if p.producer == nil {
		opts := []kgo.Opt{
			kgo.SeedBrokers(p.s.bootstrap...),
			kgo.ClientID(fmt.Sprintf("kafka-eos-p%d", p.process.Load())),
			kgo.RecordPartitioner(kgo.ManualPartitioner()),
			kgo.RequiredAcks(kgo.AllISRAcks()),
			kgo.ProducerLinger(0),
			// The broker's time to gather acks (acks=all) before it answers REQUEST_TIMED_OUT: 3 s, as the
			// Java driver's request.timeout.ms (which Java sends as the same field) and Jepsen's client.
			kgo.ProduceRequestTimeout(time.Duration(p.s.requestTimeoutMs) * time.Millisecond),
			// Back-to-back transactions meet CONCURRENT_TRANSACTIONS while the coordinator writes the
			// previous markers (tens of ms): retry soon and often, as the runner's kafkajs is tuned
			// (franz-go's default backoff waited seconds: 4.8 s for one copy on an idle cluster).
			kgo.RetryBackoffFn(func(tries int) time.Duration {
				return min(time.Duration(20<<min(tries, 6))*time.Millisecond, time.Second)
			}),
			kgo.WithLogger(p.logger("p")),
		}
		if !p.s.idempotent {
			opts = append(opts, kgo.DisableIdempotentWrite())
		}
		if p.s.deliveryTimeoutMs > 0 {
			// A bound on each record shorter than the op's deadline, as applications set it (the
			// franz-go#1484 hunt: a batch failed by it after the broker may have appended it).
			opts = append(opts, kgo.RecordDeliveryTimeout(time.Duration(p.s.deliveryTimeoutMs)*time.Millisecond))
		}
		if p.txnID != "" {
			opts = append(opts, kgo.TransactionalID(p.txnID), kgo.TransactionTimeout(time.Duration(p.s.txnTimeoutMs)*time.Millisecond))
		}
		cl, err := kgo.NewClient(append(opts, p.s.connOpts...)...)
		if err != nil {
			return err
		}
		p.producer = cl
	}
	if p.txnID != "" {
		_, epoch, err := p.producer.ProducerID(ctx)
		if err != nil {
			return err
		}
		p.epoch = epoch
	}
	p.producerReady = true
	return nil
}

func (p *Proc) consumerClient(group bool, topics []string) (*kgo.Client, error) {
	if p.consumer != nil && p.subscribed == group {
		return p.consumer, nil
	}
	if p.consumer != nil {
		p.consumer.Close()
		p.consumer, p.assigned = nil, map[int64]bool{}
	}
	level := kgo.ReadCommitted()
	if !p.s.readCommitted {
		level = kgo.ReadUncommitted()
	}
	opts := []kgo.Opt{
		kgo.SeedBrokers(p.s.bootstrap...),
		kgo.ClientID(fmt.Sprintf("kafka-eos-c%d", p.process.Load())),
		kgo.FetchIsolationLevel(level),
		kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()),
		kgo.FetchMaxWait(time.Duration(p.s.pollMs) * time.Millisecond),
		kgo.WithLogger(p.logger("c")),
	}
	if group {
		opts = append(opts, kgo.ConsumerGroup(p.group), kgo.ConsumeTopics(topics...), kgo.DisableAutoCommit(),
			kgo.OnPartitionsRevoked(func(context.Context, *kgo.Client, map[string][]int32) { p.rebalanced.Store(true) }),
			kgo.OnPartitionsAssigned(func(context.Context, *kgo.Client, map[string][]int32) { p.rebalanced.Store(true) }))
	}
	cl, err := kgo.NewClient(append(opts, p.s.connOpts...)...)
	if err != nil {
		return nil, err
	}
	p.consumer, p.subscribed = cl, group
	return cl, nil
}

func (p *Proc) assign(ctx context.Context, o *op) map[string]any {
	cl, err := p.consumerClient(false, nil)
	if err != nil {
		return p.result(o, classify(err).as("info", true))
	}
	want := map[int64]bool{}
	for _, k := range o.value.([]any) {
		want[asInt(k)] = true
	}
	remove := map[string][]int32{}
	for k := range p.assigned {
		if !want[k] {
			tp := p.s.keys[k]
			remove[tp.topic] = append(remove[tp.topic], tp.partition)
			delete(p.assigned, k)
		}
	}
	if len(remove) > 0 {
		cl.RemoveConsumePartitions(remove)
	}
	var added []int64
	for k := range want {
		if !p.assigned[k] {
			added = append(added, k)
		}
	}
	// Only transactional processes commit offsets; the others start a newly assigned key at the beginning.
	committed := map[int64]int64{}
	if p.txnID != "" && len(added) > 0 {
		if committed, err = p.committedOffsets(ctx, added); err != nil {
			return p.result(o, classify(err).prefixed("OffsetFetch: ").as("info", true))
		}
	}
	add := map[string]map[int32]kgo.Offset{}
	for _, k := range added {
		tp := p.s.keys[k]
		if add[tp.topic] == nil {
			add[tp.topic] = map[int32]kgo.Offset{}
		}
		at := kgo.NewOffset().AtStart()
		if c, ok := committed[k]; ok {
			at = kgo.NewOffset().At(c)
		}
		add[tp.topic][tp.partition] = at
		p.assigned[k] = true
	}
	if len(add) > 0 {
		cl.AddConsumePartitions(add)
	}
	return p.ok(o)
}

func (p *Proc) subscribe(o *op) map[string]any {
	seen := map[string]bool{}
	var topics []string
	for _, k := range o.value.([]any) {
		if t := p.s.keys[asInt(k)].topic; !seen[t] {
			seen[t] = true
			topics = append(topics, t)
		}
	}
	if p.consumer != nil && p.subscribed {
		p.consumer.AddConsumeTopics(topics...)
	} else if _, err := p.consumerClient(true, topics); err != nil {
		return p.result(o, classify(err).as("info", true))
	}
	return p.ok(o)
}

type polledRecords map[int64][][2]int64

// poll is one PollFetches bounded by the poll time and the op's deadline; records by key in offset order.
func (p *Proc) poll(ctx context.Context) (polledRecords, error) {
	out := polledRecords{}
	if p.consumer == nil {
		return out, nil
	}
	pctx, cancel := context.WithTimeout(ctx, time.Duration(p.s.pollMs)*time.Millisecond)
	defer cancel()
	fetches := p.consumer.PollFetches(pctx)
	var firstErr error
	fetches.EachError(func(_ string, _ int32, err error) {
		if firstErr == nil && !errors.Is(err, context.DeadlineExceeded) && !errors.Is(err, context.Canceled) {
			firstErr = err
		}
	})
	fetches.EachRecord(func(r *kgo.Record) {
		k, ok := p.s.keyOf[topicPartition{r.Topic, r.Partition}]
		if !ok {
			return
		}
		v, err := strconv.ParseInt(string(r.Value), 10, 64)
		if err != nil {
			return
		}
		out[k] = append(out[k], [2]int64{r.Offset, v})
	})
	if len(out) == 0 && firstErr != nil {
		return nil, firstErr
	}
	if ctx.Err() != nil && len(out) == 0 {
		return nil, ctx.Err()
	}
	return out, nil
}

func (p *Proc) produce(ctx context.Context, key, value int64) (any, error) {
	tp := p.s.keys[key]
	r := &kgo.Record{Topic: tp.topic, Partition: tp.partition, Key: []byte(strconv.FormatInt(key, 10)), Value: []byte(strconv.FormatInt(value, 10))}
	if err := p.producer.ProduceSync(ctx, r).FirstErr(); err != nil {
		return nil, err
	}
	if r.Offset < 0 {
		return nil, nil
	}
	return r.Offset, nil
}

func (p *Proc) send(ctx context.Context, o *op) map[string]any {
	if err := p.ensureProducer(ctx); err != nil {
		c := classify(err)
		return p.result(o, c.as(c.typ, true))
	}
	for i, m := range o.value.([]any) {
		mop := m.([]any)
		k, v := asInt(mop[1]), asInt(mop[2])
		offset, err := p.produce(ctx, k, v)
		o.set(i, []any{"send", k, []any{offset, v}})
		if err != nil {
			c := classify(err)
			// Earlier sends of this op took effect: a later definite failure still leaves the op in doubt.
			if i > 0 {
				c = c.as("info", true)
			}
			return p.result(o, c)
		}
	}
	return p.ok(o)
}

// txn is a transaction of sends and polls; as a copier, each polled value is also sent to its output key.
func (p *Proc) txn(ctx context.Context, o *op, copier bool) map[string]any {
	firstRead := map[int64]int64{}
	nextOffset := map[int64]int64{}
	var failure *outcome
	produced, offsetsAdded := false, false
	p.rebalanced.Store(false)
	err := p.producer.BeginTransaction()
	if err != nil && p.txnOpen(err) {
		// Carrying on after a transaction that ended in an error: abort what is left, as an application
		// does before it begins again (franz-go: "if EndTransaction fails, retry with TryAbort").
		if err = p.producer.EndTransaction(ctx, kgo.TryAbort); err == nil {
			err = p.producer.BeginTransaction()
		}
	}
	if err != nil {
		c := classify(err).prefixed("BeginTransaction: ")
		return p.result(o, c.as("fail", c.typ != "fail"))
	}
	fail := func(err error, prefix string) {
		c := classify(err).prefixed(prefix)
		failure = &c
	}
	for i := 0; i < len(o.out) && failure == nil; i++ {
		mop := o.out[i].([]any)
		if mop[0] == "send" {
			k := asInt(mop[1])
			var v int64
			if pair, ok := mop[2].([]any); ok {
				v = asInt(pair[1])
			} else {
				v = asInt(mop[2])
			}
			o.set(i, []any{"send", k, []any{nil, v}})
			offset, err := p.produce(ctx, k, v)
			if err != nil {
				fail(err, "")
				continue
			}
			produced = true
			o.set(i, []any{"send", k, []any{offset, v}})
			continue
		}
		polled, err := p.poll(ctx)
		if err != nil {
			fail(err, "")
			continue
		}
		if copier {
			polled = p.copyBatch(polled)
		}
		var sends []any
		for _, k := range sortedKeys(polled) {
			for _, r := range polled[k] {
				if _, seen := firstRead[k]; !seen {
					firstRead[k] = r[0]
				}
				nextOffset[k] = r[0] + 1
				if target, ok := p.s.copyTo[k]; ok && copier {
					sends = append(sends, []any{"send", target, r[1]})
				}
			}
		}
		o.mu.Lock()
		o.out[i] = []any{"poll", polledJSON(polled)}
		o.out = append(o.out, sends...)
		o.mu.Unlock()
		if p.rebalanced.Load() {
			failure = &outcome{"fail", "partitions were revoked or assigned during the transaction", false, false}
		}
	}
	if failure == nil && len(nextOffset) > 0 {
		var err error
		if p.s.offsetsOutsideTxn {
			err = p.commitOffsetsPlain(ctx, nextOffset)
		} else {
			offsetsAdded, err = p.sendOffsets(ctx, nextOffset)
		}
		if err != nil {
			fail(err, "sendOffsets: ")
		}
	}
	if failure == nil && !o.abort {
		err := p.endTxn(ctx, kgo.TryCommit, produced, offsetsAdded)
		if err == nil {
			if produced {
				p.noteCommit(ctx)
			}
			return p.ok(o)
		}
		// The commit was attempted: only a definite failure is a definite abort. Retire the process.
		p.rollback(ctx, firstRead, copier)
		c := classify(err).prefixed("commit: ")
		return p.result(o, c.as(c.typ, true))
	}
	abortErr := p.endTxn(ctx, kgo.TryAbort, produced, offsetsAdded)
	rolledBack := p.rollback(ctx, firstRead, copier)
	// Commit never attempted: nothing of this transaction can become visible, whatever the abort says.
	if failure == nil {
		return p.result(o, outcome{"fail", "aborted on purpose", abortErr != nil || !rolledBack, false})
	}
	return p.result(o, failure.as("fail", failure.endProcess || abortErr != nil || !rolledBack))
}

// txnOpen says whether BeginTransaction refused because a transaction is still open.
func (p *Proc) txnOpen(err error) bool {
	return strings.Contains(err.Error(), "already in a transaction")
}

// endTxn ends the transaction through franz-go. franz-go sends EndTxn only when the transaction
// produced or committed offsets through a GroupTransactSession; a transaction of an assigning process
// whose only content is the offsets this driver added is ended with the driver's own EndTxn, and the
// producer is rebuilt afterwards (its epoch may have moved under transaction version 2).
func (p *Proc) endTxn(ctx context.Context, how kgo.TransactionEndTry, produced, offsetsAdded bool) error {
	if err := p.producer.EndTransaction(ctx, how); err != nil || produced || !offsetsAdded {
		return err
	}
	id, epoch, err := p.producer.ProducerID(ctx)
	if err != nil {
		return err
	}
	h, err := helper(p.s)
	if err != nil {
		return err
	}
	req := kmsg.NewPtrEndTxnRequest()
	req.TransactionalID, req.ProducerID, req.ProducerEpoch, req.Commit = p.txnID, id, epoch, bool(how)
	resp, err := req.RequestWith(ctx, h)
	if err == nil {
		err = kerr.ErrorForCode(resp.ErrorCode)
	}
	if err == nil {
		if resp.Version >= 5 && resp.ProducerEpoch > epoch {
			p.txnVersion = 2
		}
		old := p.producer
		p.producer, p.producerReady = nil, false
		go old.Close()
		if e := p.ensureProducer(ctx); e != nil {
			return nil // the commit happened; the next op retries the producer
		}
	}
	return err
}

// noteCommit learns the transaction version from the epoch after a commit that wrote something:
// version 2 bumps it on every such commit (an empty transaction sends no EndTxn at all).
func (p *Proc) noteCommit(ctx context.Context) {
	if p.producer == nil {
		return
	}
	_, epoch, err := p.producer.ProducerID(ctx)
	if err != nil {
		return
	}
	if p.epoch >= 0 && epoch != p.epoch {
		p.txnVersion = 2
	} else if p.txnVersion == 0 {
		p.txnVersion = 1
	}
	p.epoch = epoch
}

// sendOffsets adds the group to the transaction and commits the offsets in it (KIP-447 fields from
// the group membership when subscribed, generation -1 otherwise). franz-go exposes this only through
// GroupTransactSession (group consumers), so assigning processes send the two requests themselves.
func (p *Proc) sendOffsets(ctx context.Context, offsets map[int64]int64) (bool, error) {
	id, epoch, err := p.producer.ProducerID(ctx)
	if err != nil {
		return false, err
	}
	h, err := helper(p.s)
	if err != nil {
		return false, err
	}
	add := kmsg.NewPtrAddOffsetsToTxnRequest()
	add.TransactionalID, add.ProducerID, add.ProducerEpoch, add.Group = p.txnID, id, epoch, p.group
	if err := retrying(ctx, func() error {
		resp, err := add.RequestWith(ctx, h)
		if err != nil {
			return err
		}
		return kerr.ErrorForCode(resp.ErrorCode)
	}); err != nil {
		return false, err
	}
	req := kmsg.NewPtrTxnOffsetCommitRequest()
	req.TransactionalID, req.Group, req.ProducerID, req.ProducerEpoch = p.txnID, p.group, id, epoch
	req.Generation, req.MemberID = -1, ""
	if p.subscribed && p.consumer != nil {
		member, gen := p.consumer.GroupMetadata()
		req.MemberID, req.Generation = member, gen
	}
	req.Topics = offsetTopics(p.s, offsets, func(t string, parts []kmsg.TxnOffsetCommitRequestTopicPartition) kmsg.TxnOffsetCommitRequestTopic {
		return kmsg.TxnOffsetCommitRequestTopic{Topic: t, Partitions: parts}
	}, func(part int32, off int64) kmsg.TxnOffsetCommitRequestTopicPartition {
		x := kmsg.NewTxnOffsetCommitRequestTopicPartition()
		x.Partition, x.Offset, x.LeaderEpoch = part, off, -1
		return x
	})
	return true, retrying(ctx, func() error {
		resp, err := req.RequestWith(ctx, h)
		if err != nil {
			return err
		}
		for _, t := range resp.Topics {
			for _, pr := range t.Partitions {
				if err := kerr.ErrorForCode(pr.ErrorCode); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// commitOffsetsPlain is the offsets-outside-txn mutant: a plain OffsetCommit, no membership.
func (p *Proc) commitOffsetsPlain(ctx context.Context, offsets map[int64]int64) error {
	req := kmsg.NewPtrOffsetCommitRequest()
	req.Group, req.Generation, req.MemberID = p.group, -1, ""
	req.Topics = offsetTopics(p.s, offsets, func(t string, parts []kmsg.OffsetCommitRequestTopicPartition) kmsg.OffsetCommitRequestTopic {
		return kmsg.OffsetCommitRequestTopic{Topic: t, Partitions: parts}
	}, func(part int32, off int64) kmsg.OffsetCommitRequestTopicPartition {
		x := kmsg.NewOffsetCommitRequestTopicPartition()
		x.Partition, x.Offset, x.LeaderEpoch = part, off, -1
		return x
	})
	h, err := helper(p.s)
	if err != nil {
		return err
	}
	resp, err := req.RequestWith(ctx, h)
	if err != nil {
		return err
	}
	for _, t := range resp.Topics {
		for _, pr := range t.Partitions {
			if err := kerr.ErrorForCode(pr.ErrorCode); err != nil {
				return err
			}
		}
	}
	return nil
}

func offsetTopics[T any, P any](s *Settings, offsets map[int64]int64, topic func(string, []P) T, part func(int32, int64) P) []T {
	byTopic := map[string][]P{}
	var order []string
	for _, k := range sortedKeys(offsets) {
		tp := s.keys[k]
		if _, ok := byTopic[tp.topic]; !ok {
			order = append(order, tp.topic)
		}
		byTopic[tp.topic] = append(byTopic[tp.topic], part(tp.partition, offsets[k]))
	}
	out := make([]T, 0, len(order))
	for _, t := range order {
		out = append(out, topic(t, byTopic[t]))
	}
	return out
}

// committedOffsets reads the group's committed offsets of keys (the next offset to read).
func (p *Proc) committedOffsets(ctx context.Context, keys []int64) (map[int64]int64, error) {
	cl, err := helper(p.s)
	if err != nil {
		return nil, err
	}
	req := kmsg.NewPtrOffsetFetchRequest()
	req.RequireStable = true
	byTopic := map[string][]int32{}
	for _, k := range keys {
		tp := p.s.keys[k]
		byTopic[tp.topic] = append(byTopic[tp.topic], tp.partition)
	}
	g := kmsg.NewOffsetFetchRequestGroup()
	g.Group = p.group
	for t, parts := range byTopic {
		gt := kmsg.NewOffsetFetchRequestGroupTopic()
		gt.Topic, gt.Partitions = t, parts
		g.Topics = append(g.Topics, gt)
	}
	req.Groups = []kmsg.OffsetFetchRequestGroup{g}
	out := map[int64]int64{}
	err = retrying(ctx, func() error {
		resp, err := req.RequestWith(ctx, cl)
		if err != nil {
			return err
		}
		if err := kerr.ErrorForCode(resp.ErrorCode); err != nil {
			return err
		}
		take := func(topic string, partition int32, offset int64, code int16) error {
			if err := kerr.ErrorForCode(code); err != nil {
				return err
			}
			if k, ok := p.s.keyOf[topicPartition{topic, partition}]; ok && offset >= 0 {
				out[k] = offset
			}
			return nil
		}
		for _, t := range resp.Topics {
			for _, pr := range t.Partitions {
				if err := take(t.Topic, pr.Partition, pr.Offset, pr.ErrorCode); err != nil {
					return err
				}
			}
		}
		for _, gr := range resp.Groups {
			if err := kerr.ErrorForCode(gr.ErrorCode); err != nil {
				return err
			}
			for _, t := range gr.Topics {
				for _, pr := range t.Partitions {
					if err := take(t.Topic, pr.Partition, pr.Offset, pr.ErrorCode); err != nil {
						return err
					}
				}
			}
		}
		return nil
	})
	return out, err
}

// copyBatch takes the first copy_batch_max records, keys ascending; a key cut short is sought back
// to its first record left out.
func (p *Proc) copyBatch(polled polledRecords) polledRecords {
	batch := polledRecords{}
	room := p.s.copyBatchMax
	seek := map[string]map[int32]kgo.EpochOffset{}
	for _, k := range sortedKeys(polled) {
		pairs := polled[k]
		n := min(room, len(pairs))
		if n > 0 {
			batch[k] = pairs[:n]
		}
		room -= n
		if n < len(pairs) {
			tp := p.s.keys[k]
			if seek[tp.topic] == nil {
				seek[tp.topic] = map[int32]kgo.EpochOffset{}
			}
			seek[tp.topic][tp.partition] = kgo.EpochOffset{Epoch: -1, Offset: pairs[n][0]}
		}
	}
	if len(seek) > 0 {
		p.consumer.SetOffsets(seek)
	}
	return batch
}

// rollback seeks back to the first offset the op read (Jepsen), or for a copier to the group's
// committed offsets. False when those could not be read: the process must end.
func (p *Proc) rollback(ctx context.Context, firstRead map[int64]int64, toCommitted bool) bool {
	if p.consumer == nil {
		return true
	}
	target := firstRead
	if toCommitted {
		keys := make([]int64, 0, len(p.assigned))
		for k := range p.assigned {
			keys = append(keys, k)
		}
		committed, err := p.committedOffsets(ctx, keys)
		if err != nil {
			p.pendingRollback = &pendingRollback{firstRead, toCommitted}
			return false
		}
		target = map[int64]int64{}
		for _, k := range keys {
			target[k] = committed[k] // 0 when the group has none
		}
	}
	seek := map[string]map[int32]kgo.EpochOffset{}
	for k, o := range target {
		tp := p.s.keys[k]
		if seek[tp.topic] == nil {
			seek[tp.topic] = map[int32]kgo.EpochOffset{}
		}
		seek[tp.topic][tp.partition] = kgo.EpochOffset{Epoch: -1, Offset: o}
	}
	if len(seek) > 0 {
		p.consumer.SetOffsets(seek)
	}
	p.pendingRollback = nil
	return true
}

// retrying retries retriable Kafka errors (CONCURRENT_TRANSACTIONS while markers are written,
// COORDINATOR_LOAD_IN_PROGRESS) until the op's deadline, as an application would.
func retrying(ctx context.Context, fn func() error) error {
	for {
		err := fn()
		var ke *kerr.Error
		if err == nil || !errors.As(err, &ke) || !ke.Retriable {
			return err
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(20 * time.Millisecond):
		}
	}
}

func (p *Proc) ok(o *op) map[string]any {
	return p.complete(o, "ok", o.snapshot(), "", false, false)
}

func (p *Proc) result(o *op, c outcome) map[string]any {
	return p.complete(o, c.typ, o.snapshot(), c.err, c.endProcess || c.typ == "info", c.fenced)
}

func (p *Proc) complete(o *op, outcome string, value any, errText string, end, fenced bool) map[string]any {
	m := map[string]any{"type": "complete", "process": p.process.Load(), "outcome": outcome, "value": value, "end_process": end, "fenced": fenced}
	if errText != "" {
		m["error"] = errText
	}
	if p.txnID != "" && p.txnVersion > 0 {
		m["txn"] = map[string]any{"version": p.txnVersion, "epoch": p.epoch}
	}
	return m
}

func polledJSON(polled polledRecords) map[string]any {
	out := map[string]any{}
	for k, pairs := range polled {
		list := make([]any, 0, len(pairs))
		for _, r := range pairs {
			list = append(list, []any{r[0], r[1]})
		}
		out[strconv.FormatInt(k, 10)] = list
	}
	return out
}

func sortedKeys[V any](m map[int64]V) []int64 {
	keys := make([]int64, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i] < keys[j] })
	return keys
}
