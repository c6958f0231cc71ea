// The franz-go client driver (docs/client-drivers.md): JSON lines on stdin, replies on stdout, logs on
// stderr. One process per worker slot; every `open` gets fresh kgo clients. Requests are read on the
// main goroutine, which never blocks on Kafka: each client process runs its ops on a goroutine of its
// own, and a timer answers `info` for an op that outlives its deadline.
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"runtime/debug"
	"sync"
)

// protocolVersion is the newest version this driver speaks; 2 added init's `security`.
const protocolVersion = 2

var (
	outMu sync.Mutex
	out   = bufio.NewWriter(os.Stdout)
)

// send writes one protocol message as one line.
func send(m map[string]any) {
	b, err := json.Marshal(m)
	if err != nil {
		fmt.Fprintf(os.Stderr, "driver: cannot encode a reply: %v\n", err)
		return
	}
	outMu.Lock()
	defer outMu.Unlock()
	out.Write(b)
	out.WriteByte('\n')
	out.Flush()
}

func reply(id int64, typ string, extra map[string]any) {
	m := map[string]any{"type": typ, "in_reply_to": id}
	for k, v := range extra {
		m[k] = v
	}
	send(m)
}

func replyError(id int64, code, text string) {
	reply(id, "error", map[string]any{"code": code, "text": text})
}

func main() {
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 64<<20)
	var settings *Settings
	procs := map[int64]*Proc{}
	for in.Scan() {
		line := in.Bytes()
		if len(line) == 0 {
			continue
		}
		var m map[string]any
		dec := json.NewDecoder(bytesReader(line))
		dec.UseNumber()
		if err := dec.Decode(&m); err != nil {
			fmt.Fprintf(os.Stderr, "driver: unreadable request: %v\n", err)
			continue
		}
		id := asInt(m["msg_id"])
		switch m["type"] {
		case "init":
			version := protocolVersion
			for version >= 1 && !offers(m["protocol_versions"], version) {
				version--
			}
			if version < 1 {
				replyError(id, "unsupported-protocol", fmt.Sprintf("this driver speaks protocol versions 1 to %d, offered %v", protocolVersion, m["protocol_versions"]))
				continue
			}
			settings = newSettings(m)
			if settings.securityErr != nil {
				replyError(id, "bad-security", settings.securityErr.Error())
				continue
			}
			reply(id, "init_ok", map[string]any{
				"protocol_version": version,
				"client":           map[string]any{"name": "franz-go", "library": "github.com/twmb/franz-go", "version": franzVersion()},
			})
		case "open":
			p := asInt(m["process"])
			txnID, _ := m["transactional_id"].(string)
			group, _ := m["group_id"].(string)
			procs[p] = newProc(settings, p, txnID, group)
			reply(id, "open_ok", map[string]any{"process": p})
		case "invoke":
			p := procs[asInt(m["process"])]
			if p == nil {
				replyError(id, "unknown-process", fmt.Sprintf("no open process %v", m["process"]))
				continue
			}
			op, _ := m["op"].(map[string]any)
			p.invoke(id, op, asInt(m["deadline_ms"]))
		case "abandon":
			pid := asInt(m["process"])
			if p := procs[pid]; p != nil {
				p.abandon()
				delete(procs, pid)
			}
			reply(id, "abandon_ok", map[string]any{"process": pid})
		case "continue":
			// The harness recorded an op of this process `info` and goes on with the same clients as
			// the next process, as an application that carries on after an error.
			old, next := asInt(m["process"]), asInt(m["new_process"])
			p := procs[old]
			if p == nil {
				replyError(id, "unknown-process", fmt.Sprintf("no open process %d", old))
				continue
			}
			delete(procs, old)
			p.renumber(next)
			procs[next] = p
			reply(id, "continue_ok", map[string]any{"process": next})
		case "shutdown":
			for _, p := range procs {
				p.abandon()
			}
			reply(id, "shutdown_ok", nil)
			os.Exit(0)
		default:
			replyError(id, "unknown-type", fmt.Sprintf("unknown request type %v", m["type"]))
		}
	}
	// The harness went away (EOF on stdin): nothing of this driver may outlive it.
	for _, p := range procs {
		p.abandon()
	}
	os.Exit(0)
}

// franzVersion is the franz-go module version this binary was built with.
func franzVersion() string {
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, d := range info.Deps {
			if d.Path == "github.com/twmb/franz-go" {
				if d.Replace != nil {
					return d.Replace.Version
				}
				return d.Version
			}
		}
	}
	return "unknown"
}

func offers(versions any, v int) bool {
	list, _ := versions.([]any)
	for _, x := range list {
		if asInt(x) == int64(v) {
			return true
		}
	}
	return false
}

func asInt(x any) int64 {
	switch n := x.(type) {
	case json.Number:
		i, _ := n.Int64()
		return i
	case float64:
		return int64(n)
	case int64:
		return n
	case int:
		return int64(n)
	}
	return -1
}
