// The etcd server, built from go.etcd.io/etcd/server/v3 as the Go module proxy serves it
// (scripts/kube-env.sh): the release's own entry point, nothing added.
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() { etcdmain.Main(os.Args) }
