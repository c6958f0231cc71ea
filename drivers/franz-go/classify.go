package main

import (
	"context"
	"errors"
	"strings"

	"github.com/twmb/franz-go/pkg/kerr"
)

// outcome is how an op failed, classified as Jepsen's Kafka client does: "fail" only when the request
// definitely did not take effect, "info" whenever it might have.
type outcome struct {
	typ        string
	err        string
	endProcess bool
	fenced     bool
}

// definite Kafka errors: the broker refused the request, nothing of it was applied.
var definite = []*kerr.Error{
	kerr.ProducerFenced, kerr.InvalidProducerEpoch, kerr.TransactionCoordinatorFenced,
	kerr.OutOfOrderSequenceNumber, kerr.InvalidProducerIDMapping, kerr.UnknownProducerID,
	kerr.InvalidTopicException, kerr.InvalidTxnState, kerr.TopicAuthorizationFailed,
	kerr.GroupAuthorizationFailed, kerr.TransactionalIDAuthorizationFailed, kerr.ClusterAuthorizationFailed,
	kerr.MessageTooLarge, kerr.RecordListTooLarge, kerr.InvalidRecord, kerr.IllegalGeneration,
	kerr.UnknownMemberID, kerr.InvalidTransactionTimeout, kerr.UnsupportedVersion,
}

// endProcess errors leave the producer unusable (Jepsen's :end-process?).
var endProcess = []*kerr.Error{
	kerr.ProducerFenced, kerr.InvalidProducerEpoch, kerr.TransactionCoordinatorFenced,
	kerr.OutOfOrderSequenceNumber, kerr.InvalidProducerIDMapping, kerr.UnknownProducerID,
	kerr.TopicAuthorizationFailed, kerr.GroupAuthorizationFailed, kerr.TransactionalIDAuthorizationFailed,
	kerr.ClusterAuthorizationFailed, kerr.InvalidTxnState, kerr.UnsupportedVersion,
}

var fencedErrs = []*kerr.Error{kerr.ProducerFenced, kerr.InvalidProducerEpoch, kerr.TransactionCoordinatorFenced}

func isAny(err error, list []*kerr.Error) bool {
	for _, k := range list {
		if errors.Is(err, k) {
			return true
		}
	}
	return false
}

func classify(err error) outcome {
	text := strings.SplitN(err.Error(), "\n", 2)[0]
	if len(text) > 300 {
		text = text[:300]
	}
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		return outcome{"info", "timeout: " + text, true, false}
	}
	var ke *kerr.Error
	isKafka := errors.As(err, &ke)
	// A retriable error that outlived the client's retries may hide an earlier attempt that was
	// appended: never definite.
	sure := isKafka && !ke.Retriable && isAny(err, definite)
	o := outcome{typ: "info", err: text, endProcess: true, fenced: isAny(err, fencedErrs)}
	if sure {
		o.typ = "fail"
		o.endProcess = isAny(err, endProcess)
	}
	return o
}

func (o outcome) as(typ string, end bool) outcome {
	o.typ = typ
	o.endProcess = o.endProcess || end
	return o
}

func (o outcome) prefixed(p string) outcome {
	o.err = p + o.err
	return o
}
