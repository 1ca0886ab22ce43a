#!/usr/bin/env bash
# The control plane of the tests' one-node Kubernetes (test/engine/kube*.ts), built from source
# (no Kubernetes binary is downloadable here; see ../shared/NOTES.md, "A real Kubernetes API
# server"); scripts/kube-node-env.sh adds the node (containerd, kubelet, kube-proxy, CoreDNS):
#   - kube-apiserver, kube-controller-manager and kube-scheduler from k8s.io/kubernetes, as the
#     Go module proxy serves it, and from the same prepared copy the node's kubelet and
#     kube-proxy and kubectl (each later binary reuses from the Go build cache the packages it
#     shares with the first),
#   - etcd, its storage, from go.etcd.io/etcd/server/v3 through scripts/kube/etcd (the release's
#     own entry point, nothing added).
# Each binary is cached by version and source checksum under
# ${XDG_CACHE_HOME:-~/.cache}/secrets-platform/kube; a failed step names itself and its log
# (.integration/logs/kube-<step>.log) and installs nothing. The go command checks every module
# against the Go checksum database.
#
# Then starts etcd (127.0.0.1:12379), the API server (:6443), the controller manager
# (127.0.0.1:10257) and the scheduler (127.0.0.1:10259), or reuses them when they already run
# with this configuration, and waits until the API server is ready and the controllers act:
#   - the API server listens on every IPv4 address so that pods reach it (through the
#     `kubernetes` Service, whose endpoint is the node's address 10.244.0.1 on the pods' bridge);
#     an nftables table of its own (`sp_kube_control_plane`) drops its port on any interface but
#     the loopback and that bridge, so nothing outside the machine reaches it,
#   - TLS with certificates for 127.0.0.1/localhost from a CA made here (.integration/kube/ca.crt),
#   - service-account tokens signed with an RSA key made here (.integration/kube/sa.key, 0600),
#     issuer https://kubernetes.default.svc.cluster.local (also the API's only audience), so the
#     TokenRequest and TokenReview APIs work,
#   - RBAC authorization; an admin token (group system:masters) generated once per machine,
#     kept in .integration/kube/tokens.csv (0600) and .integration/kubeconfig, never printed;
#   - the controller manager, the scheduler, the kubelet and kube-proxy authenticate with client
#     certificates from the CA (system:kube-controller-manager, system:kube-scheduler,
#     system:node:sp-node in system:nodes, system:kube-proxy: each bound by the default RBAC
#     policy or the Node authorizer; keys 0600, a kubeconfig each under .integration/kube), and
#     the controller manager runs each controller as that controller's service account.
# Writes .integration/kubeconfig and .integration/kube.env (SP_KUBE_URL, SP_KUBE_CA_FILE,
# SP_KUBECONFIG, ...); integration-env.sh folds the latter into .integration/env. The servers log
# to .integration/kube/etcd.log, apiserver.log and controller-manager.log; their pids are in
# .integration/kube/*.pid.
#
# The controller manager runs the controllers pods need (CONTROLLERS below: workloads, endpoint
# slices, volumes' binding, service accounts, the root CA each pod mounts, namespaces, garbage
# collection, disruption budgets, the node's lifecycle taints) and none that needs a cloud or a
# node pool (node IPAM, cloud routes and load balancers, certificate signing: the node's
# certificates are issued here).
#
#   bash scripts/kube-env.sh               build or reuse, start or reuse, write the settings
#   bash scripts/kube-env.sh --build-only  only build (what .ci/run starts in the background)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
# The real path: checkouts whose .integration links to one directory share one cluster, and
# recognise its processes by the paths in their command lines.
mkdir -p "$ROOT/.integration"
STATE="$(cd "$ROOT/.integration" && pwd -P)"
KUBE=$STATE/kube
LOGS=$STATE/logs
CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/secrets-platform/kube"

KUBERNETES_VERSION=1.37.2
# The k8s.io/* modules k8s.io/kubernetes keeps in its staging/ tree, published for the same tag.
STAGING_VERSION=0.37.2
# etcd's version is the one scripts/kube/etcd/go.mod requires (3.6.16; Dependabot may move it).
ETCD_SOURCE=$ROOT/scripts/kube/etcd
ETCD_VERSION="$(sed -n 's|^require go.etcd.io/etcd/server/v3 v||p' "$ETCD_SOURCE/go.mod")"
ETCD_PORT=12379
ETCD_PEER_PORT=12380
API_PORT=6443
API_URL=https://127.0.0.1:$API_PORT
CM_PORT=10257
SCHEDULER_PORT=10259
# The node (scripts/kube-node-env.sh): its name, its address (the gateway of the pods' bridge,
# in the pod range: the cluster needs no other address), the ranges of pods and Services.
NODE_NAME=sp-node
NODE_IP=10.244.0.1
NODE_BRIDGE=sp-kube0
SERVICE_CIDR=10.96.0.0/24
# The `kubernetes` Service's address: the first of the range (pods reach the API server there).
SERVICE_API_IP=10.96.0.1
# The controllers a one-node cluster's pods need (README, "The cluster engine").
CONTROLLERS=$(
  IFS=,
  controllers=(
    namespace-controller garbage-collector-controller serviceaccount-controller
    root-ca-certificate-publisher-controller
    deployment-controller replicaset-controller statefulset-controller daemonset-controller
    job-controller cronjob-controller ttl-after-finished-controller disruption-controller
    endpoints-controller endpointslice-controller endpointslice-mirroring-controller
    persistentvolume-binder-controller persistentvolume-protection-controller
    persistentvolumeclaim-protection-controller pod-garbage-collector-controller
    clusterrole-aggregation-controller
    # Lifts the not-ready taint the kubelet registers the node with, once it reports Ready.
    node-lifecycle-controller
  )
  echo "${controllers[*]}"
)
ISSUER=https://kubernetes.default.svc.cluster.local
# Bump when a recipe below changes what it builds: every cached binary is rebuilt.
RECIPE=1
TAG=kube
# tree_sum, module_dir, writable_copy, cached (the build cache, shared with engine-env.sh).
# shellcheck source-path=SCRIPTDIR source=lib/cached-build.sh
. "$ROOT/scripts/lib/cached-build.sh"
# need_root, alive.
# shellcheck source-path=SCRIPTDIR source=lib/root.sh
. "$ROOT/scripts/lib/root.sh"

build_only=false
case "${1:-}" in
  --build-only) build_only=true ;;
  "") ;;
  *) die "unknown argument '$1' (usage: kube-env.sh [--build-only])" ;;
esac

export GOFLAGS="-mod=mod -buildvcs=false"
export GOWORK=off # k8s.io/kubernetes ships a go.work naming its (absent) staging modules
command -v go >/dev/null || die "Go is not installed (Go 1.26 or later builds kube-apiserver and etcd)"
for tool in openssl curl python3; do
  command -v "$tool" >/dev/null || die "$tool is not installed"
done
[ -n "$ETCD_VERSION" ] || die "$ETCD_SOURCE/go.mod has no line 'require go.etcd.io/etcd/server/v3 v<version>'"

mkdir -p "$STATE" "$LOGS" "$CACHE"
# One set-up at a time: .ci/run builds in the background, integration-env.sh waits here.
exec 7>"$STATE/kube-build.lock"
flock 7

# prepare_kubernetes <work>: a copy of k8s.io/kubernetes in <work>/kubernetes that builds outside
# its repository, and cd there. Both binaries below are built from it.
prepare_kubernetes() {
  writable_copy "$(module_dir "k8s.io/kubernetes@v$KUBERNETES_VERSION")" "$1/kubernetes"
  cd "$1/kubernetes"
  # go.mod replaces each k8s.io/* staging module with ./staging/src/k8s.io/<name>, which the
  # module zip leaves out: drop those replaces, and require the releases published for this tag
  # of those it requires (at v0.0.0). The sample modules it only replaces are not all published.
  local edits
  mapfile -t edits < <(go mod edit -json | python3 -c '
import json, sys
mod = json.load(sys.stdin)
required = {r["Path"] for r in mod.get("Require") or []}
for r in mod.get("Replace") or []:
    if r["New"]["Path"].startswith("./staging/"):
        print("-dropreplace=" + r["Old"]["Path"])
        if r["Old"]["Path"] in required:
            print("-require=" + r["Old"]["Path"] + "@v" + sys.argv[1])
' "$STAGING_VERSION")
  [ "${#edits[@]}" -gt 0 ]
  go mod edit "${edits[@]}"
  go mod tidy
}

# build_kubernetes_command <work> <out>: prepares the copy and builds its ./cmd/<name of out>.
# With -trimpath the compiled packages do not depend on the copy's directory, so each binary
# after the first reuses from the Go build cache the packages it shares with those before
# (kube-apiserver compiles ~2,000, then kube-controller-manager ~360 more of its own).
build_kubernetes_command() {
  local v=k8s.io/component-base/version
  prepare_kubernetes "$1"
  measured go build -trimpath -ldflags "-s -w -X $v.gitVersion=v$KUBERNETES_VERSION -X $v.gitMajor=${KUBERNETES_VERSION%%.*} \
    -X $v.gitMinor=$(echo "$KUBERNETES_VERSION" | cut -d. -f2) -X $v.gitTreeState=clean" -o "$2" "./cmd/$(basename "$2")"
}

build_etcd() { # <work> <out>
  writable_copy "$ETCD_SOURCE" "$1/src"
  cd "$1/src"
  go build -trimpath -ldflags "-s -w" -o "$2" .
}

kubernetes_key="module:$KUBERNETES_VERSION:staging:$STAGING_VERSION"
mkdir -p "$KUBE/bin"
# The API server first: the others reuse most of its compiled packages. Processes are started
# from the cached paths (a new build is a new path, so `running` below sees the change); the
# links in .integration/kube/bin are for people and for scripts/kube-node-env.sh.
declare -A built
for command in kube-apiserver kube-controller-manager kube-scheduler kubelet kube-proxy kubectl; do
  built[$command]="$(cached "${command#kube-}" "$command" "$KUBERNETES_VERSION" "$kubernetes_key" build_kubernetes_command)"
  ln -sfn "${built[$command]}" "$KUBE/bin/$command"
done
apiserver=${built[kube-apiserver]}
controller_manager=${built[kube-controller-manager]}
scheduler=${built[kube-scheduler]}
etcd="$(cached etcd etcd "$ETCD_VERSION" "$(tree_sum "$ETCD_SOURCE")" build_etcd)"
ln -sfn "$etcd" "$KUBE/bin/etcd"
if $build_only; then
  echo "kube: built kube-apiserver, kube-controller-manager, kube-scheduler, kubelet, kube-proxy and kubectl v$KUBERNETES_VERSION and etcd v$ETCD_VERSION ($CACHE)"
  exit 0
fi
# The API server listens where pods reach it; nothing else may (see the top of this file).
# Root (or sudo) only for the guard: the servers run as this user.
need_root "the API server's nftables guard (then the node's network and containers)"
command -v nft >/dev/null || [ -x /usr/sbin/nft ] || die "nft is not installed (Debian package nftables): the API server's port is guarded with it"

# Keys, certificates and the admin token: made once per machine, readable only by this user.
umask 077
chmod 700 "$KUBE"
openssl_step() { # <what> <command...>: openssl's output goes to a log, never to the terminal
  local what=$1
  shift
  "$@" >>"$LOGS/kube-pki.log" 2>&1 || die "making the $what failed; see $LOGS/kube-pki.log"
}
# issue <name> <what> <subject> <extension...>: $KUBE/<name>.key and a certificate for it,
# $KUBE/<name>.crt, signed by the CA.
issue() {
  local name=$1 what=$2 subject=$3
  shift 3
  openssl_step "$what" openssl req -newkey rsa:2048 -nodes -keyout "$KUBE/$name.key" -out "$KUBE/$name.csr" -subj "$subject"
  printf '%s\n' "$@" >"$KUBE/$name.ext"
  openssl_step "$what" openssl x509 -req -days 3650 -in "$KUBE/$name.csr" -CA "$KUBE/ca.crt" \
    -CAkey "$KUBE/ca.key" -CAcreateserial -extfile "$KUBE/$name.ext" -out "$KUBE/$name.crt"
  rm -f "$KUBE/$name.csr" "$KUBE/$name.ext"
}
# The names pods and this machine reach the API server by (the `kubernetes` Service, the node's
# address, the loopback address).
API_SANS="IP:127.0.0.1,IP:$NODE_IP,IP:$SERVICE_API_IP,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default"
API_SANS+=",DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local"
if [ ! -s "$KUBE/ca.crt" ] || [ ! -s "$KUBE/ca.key" ]; then
  # A new CA: every certificate the old one signed goes with it.
  rm -f "$KUBE"/*.crt "$KUBE"/*-client.key "$KUBE"/{apiserver,controller-manager,scheduler,kubelet}.key
  openssl_step "CA" openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -keyout "$KUBE/ca.key" -out "$KUBE/ca.crt" \
    -subj "/CN=secrets-platform test Kubernetes CA" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign"
fi
# serving <name> <what> <common name> <subject alternative names>: a serving certificate (health
# checks and clients verify it with the CA).
serving() {
  issue "$1" "$2" "/CN=$3" "subjectAltName=$4" "extendedKeyUsage=serverAuth" \
    "keyUsage=critical,digitalSignature,keyEncipherment"
}
# client <name> <what> <subject>: a client certificate; the API server (and the kubelet) trust
# the CA for clients, and the subject is the user (CN) and its groups (O).
client() {
  [ -s "$KUBE/$1.crt" ] ||
    issue "$1" "$2" "$3" "extendedKeyUsage=clientAuth" "keyUsage=critical,digitalSignature,keyEncipherment"
}
# The API server's certificate names every address above (one made before the node existed
# lacks some: it is issued again, by the same CA).
grep -q "IP Address:$SERVICE_API_IP\b" <<<"$(openssl x509 -noout -ext subjectAltName -in "$KUBE/apiserver.crt" 2>/dev/null)" ||
  serving apiserver "API server's serving certificate" kube-apiserver "$API_SANS"
[ -s "$KUBE/controller-manager.crt" ] ||
  serving controller-manager "controller manager's serving certificate" kube-controller-manager "IP:127.0.0.1,DNS:localhost"
[ -s "$KUBE/scheduler.crt" ] ||
  serving scheduler "scheduler's serving certificate" kube-scheduler "IP:127.0.0.1,DNS:localhost"
# The API server calls the kubelet at the node's address (logs, exec) and checks it with the CA.
[ -s "$KUBE/kubelet.crt" ] ||
  serving kubelet "kubelet's serving certificate" "$NODE_NAME" "IP:$NODE_IP,IP:127.0.0.1,DNS:$NODE_NAME"
# Users the default RBAC policy binds to their component's role; the node's user is authorized
# by the Node authorizer (its own node, and the pods bound to it) and NodeRestriction.
client controller-manager-client "controller manager's client certificate" "/CN=system:kube-controller-manager"
client scheduler-client "scheduler's client certificate" "/CN=system:kube-scheduler"
client kubelet-client "kubelet's client certificate" "/O=system:nodes/CN=system:node:$NODE_NAME"
client kube-proxy-client "kube-proxy's client certificate" "/CN=system:kube-proxy"
# The API server's identity towards the kubelet, bound below to system:kubelet-api-admin.
client apiserver-kubelet-client "API server's client certificate for the kubelet" "/CN=kube-apiserver-kubelet-client"
if [ ! -s "$KUBE/sa.key" ]; then
  openssl_step "service-account signing key" openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$KUBE/sa.key"
  rm -f "$KUBE/sa.pub"
fi
[ -s "$KUBE/sa.pub" ] || openssl_step "service-account public key" openssl pkey -in "$KUBE/sa.key" -pubout -out "$KUBE/sa.pub"
if [ ! -s "$KUBE/tokens.csv" ]; then
  # token,user,uid,"groups": the tests' administrator.
  printf '%s,sp-admin,sp-admin,"system:masters"\n' "$(openssl rand -hex 32)" >"$KUBE/tokens.csv"
fi
chmod 600 "$KUBE"/*.key "$KUBE/tokens.csv"
admin_token="$(cut -d, -f1 "$KUBE/tokens.csv")"

etcd_args=(
  --name sp-kube --data-dir "$KUBE/etcd-data"
  --listen-client-urls "http://127.0.0.1:$ETCD_PORT" --advertise-client-urls "http://127.0.0.1:$ETCD_PORT"
  --listen-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" --initial-advertise-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT"
  --initial-cluster "sp-kube=http://127.0.0.1:$ETCD_PEER_PORT"
  # Test data only: no fsync on a machine shared with builds.
  --unsafe-no-fsync --log-level warn
)
apiserver_args=(
  --etcd-servers "http://127.0.0.1:$ETCD_PORT"
  # Every IPv4 address (the nftables guard below keeps all but the loopback and the pods'
  # bridge out); the `kubernetes` Service's endpoint is the node's address.
  --bind-address 0.0.0.0 --advertise-address "$NODE_IP" --secure-port "$API_PORT"
  --tls-cert-file "$KUBE/apiserver.crt" --tls-private-key-file "$KUBE/apiserver.key" --cert-dir "$KUBE/certs"
  --service-account-issuer "$ISSUER" --api-audiences "$ISSUER"
  --service-account-key-file "$KUBE/sa.pub" --service-account-signing-key-file "$KUBE/sa.key"
  --authorization-mode Node,RBAC --enable-admission-plugins NodeRestriction --token-auth-file "$KUBE/tokens.csv"
  # Client certificates signed by the CA: the components' identities.
  --client-ca-file "$KUBE/ca.crt"
  --kubelet-client-certificate "$KUBE/apiserver-kubelet-client.crt" --kubelet-client-key "$KUBE/apiserver-kubelet-client.key"
  --kubelet-certificate-authority "$KUBE/ca.crt" --kubelet-preferred-address-types InternalIP
  # Admission webhooks (ESO's) are called at their pods' addresses, not through a Service's
  # virtual address: the API server is no pod and needs no kube-proxy rule to reach them.
  --enable-aggregator-routing=true
  --service-cluster-ip-range "$SERVICE_CIDR" --profiling=false
)
controller_manager_args=(
  --kubeconfig "$KUBE/controller-manager.kubeconfig"
  # Each controller acts as its own service account in kube-system (namespace-controller,
  # generic-garbage-collector, service-account-controller), with the bootstrap RBAC role of
  # that controller; tokens from the TokenRequest API, so no signing key here.
  --use-service-account-credentials
  --controllers "$CONTROLLERS"
  # What the root-CA publisher puts in every namespace's kube-root-ca.crt (pods verify the
  # API server with it).
  --root-ca-file "$KUBE/ca.crt"
  --leader-elect=false
  --bind-address 127.0.0.1 --secure-port "$CM_PORT"
  --tls-cert-file "$KUBE/controller-manager.crt" --tls-private-key-file "$KUBE/controller-manager.key"
  # No delegated authentication or authorization: only /healthz, /readyz and /livez answer
  # (anonymously); metrics and the rest are refused.
  --profiling=false
)
scheduler_args=(
  --kubeconfig "$KUBE/scheduler.kubeconfig"
  --leader-elect=false
  --bind-address 127.0.0.1 --secure-port "$SCHEDULER_PORT"
  --tls-cert-file "$KUBE/scheduler.crt" --tls-private-key-file "$KUBE/scheduler.key"
  # As for the controller manager: only the health endpoints answer.
  --profiling=false
)

# running <name> <binary> <args...>: whether our process with exactly these arguments runs
# (pid file plus the arguments it was started with).
running() {
  local name=$1 pid
  shift
  pid="$(cat "$KUBE/$name.pid" 2>/dev/null || true)"
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null &&
    [ "$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null)" = "$(printf '%s ' "$@")" ]
}
# stop <name>: ends our earlier process (its configuration or binary changed), by its pid.
stop() {
  local pid
  pid="$(cat "$KUBE/$1.pid" 2>/dev/null || true)"
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && grep -q "$KUBE" "/proc/$pid/cmdline" 2>/dev/null; then
    echo "kube: restarting $1 (pid $pid)" >&2
    kill "$pid"
    # The API server gives open connections (watches) up to 60 s to end before it exits, and a
    # new one started meanwhile exits at once: wait for the old one to be gone.
    for _ in $(seq 1 450); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
  fi
  rm -f "$KUBE/$1.pid"
}
# port_free <port>: nothing listens on 127.0.0.1:<port>, waiting up to 90 s: a server stopped
# just before (another checkout's, killed to make room) may hold its port while it shuts down.
port_free() {
  for _ in $(seq 1 180); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null || return 0
    sleep 0.5
  done
  return 1
}
start() { # <name> <binary> <args...>
  local name=$1 log="$KUBE/$1.log"
  shift
  # 7>&-: the server must not inherit (and hold) the build lock.
  nohup "$@" >>"$log" 2>&1 7>&- &
  echo $! >"$KUBE/$name.pid"
}
wait_for() { # <name> <seconds> <check command...>
  local name=$1 seconds=$2 pid
  shift 2
  pid="$(cat "$KUBE/$name.pid")"
  for _ in $(seq 1 $((seconds * 2))); do
    "$@" && return 0
    kill -0 "$pid" 2>/dev/null || die "$name exited while starting; see $KUBE/$name.log"
    sleep 0.5
  done
  die "$name is not ready after $seconds s; see $KUBE/$name.log"
}
etcd_healthy() { curl -sf --max-time 5 "http://127.0.0.1:$ETCD_PORT/health" 2>/dev/null | grep -q '"health":"true"'; }
api_ready() { curl -sf --max-time 5 --cacert "$KUBE/ca.crt" "$API_URL/readyz" >/dev/null 2>&1; }
default_account_made() { admin_get api/v1/namespaces/default/serviceaccounts/default >/dev/null; }
controller_manager_healthy() { curl -sf --max-time 5 --cacert "$KUBE/ca.crt" "https://127.0.0.1:$CM_PORT/healthz" >/dev/null 2>&1; }
scheduler_healthy() { curl -sf --max-time 5 --cacert "$KUBE/ca.crt" "https://127.0.0.1:$SCHEDULER_PORT/healthz" >/dev/null 2>&1; }
# The token goes to curl on stdin (a config line), not in its arguments.
admin_get() { curl -sf --max-time 10 --cacert "$KUBE/ca.crt" -K - "$API_URL/$1" <<<"header = \"Authorization: Bearer $admin_token\""; }

if ! running etcd "$etcd" "${etcd_args[@]}"; then
  stop apiserver # it would keep the old storage's connection
  stop etcd
  for port in "$ETCD_PORT" "$ETCD_PEER_PORT"; do
    port_free "$port" || die "127.0.0.1:$port is in use by another process (not the etcd this script started)"
  done
  start etcd "$etcd" "${etcd_args[@]}"
  wait_for etcd 60 etcd_healthy
fi
# The guard: the API server's port answers on the loopback address and the pods' bridge only
# (the table is replaced as a whole, atomically, on every run).
$SUDO nft -f - >>"$LOGS/kube-nft.log" 2>&1 <<NFT || die "installing the API server's nftables guard failed; see $LOGS/kube-nft.log"
table ip sp_kube_control_plane
delete table ip sp_kube_control_plane
table ip sp_kube_control_plane {
  chain input {
    type filter hook input priority filter - 10; policy accept;
    tcp dport $API_PORT iifname != { "lo", "$NODE_BRIDGE" } drop
  }
}
NFT
if ! running apiserver "$apiserver" "${apiserver_args[@]}"; then
  stop apiserver
  port_free "$API_PORT" || die "127.0.0.1:$API_PORT is in use by another process (not the kube-apiserver this script started)"
  start apiserver "$apiserver" "${apiserver_args[@]}"
fi
wait_for apiserver 180 api_ready
version="$(admin_get version | python3 -c 'import json, sys; print(json.load(sys.stdin)["gitVersion"])')" ||
  die "the admin token is refused by the API server; see $KUBE/apiserver.log"
[ "$version" = "v$KUBERNETES_VERSION" ] || die "the API server reports $version, expected v$KUBERNETES_VERSION"

# kubeconfig <file> <user> <user's fields...>: a kubeconfig for the API server on the loopback
# address, as <user>.
kubeconfig() {
  local file=$1 user=$2
  shift 2
  {
    printf '%s\n' "apiVersion: v1" "kind: Config" "clusters:" "  - name: sp-local" "    cluster:" \
      "      server: $API_URL" "      certificate-authority: $KUBE/ca.crt" "users:" "  - name: $user" "    user:"
    printf '      %s\n' "$@"
    printf '%s\n' "contexts:" "  - name: sp-local" "    context:" "      cluster: sp-local" "      user: $user" \
      "current-context: sp-local"
  } >"$file"
}
kubeconfig "$STATE/kubeconfig" sp-admin "token: $admin_token"
kubeconfig "$KUBE/controller-manager.kubeconfig" system:kube-controller-manager \
  "client-certificate: $KUBE/controller-manager-client.crt" "client-key: $KUBE/controller-manager-client.key"
kubeconfig "$KUBE/scheduler.kubeconfig" system:kube-scheduler \
  "client-certificate: $KUBE/scheduler-client.crt" "client-key: $KUBE/scheduler-client.key"
kubeconfig "$KUBE/kubelet.kubeconfig" "system:node:$NODE_NAME" \
  "client-certificate: $KUBE/kubelet-client.crt" "client-key: $KUBE/kubelet-client.key"
kubeconfig "$KUBE/kube-proxy.kubeconfig" system:kube-proxy \
  "client-certificate: $KUBE/kube-proxy-client.crt" "client-key: $KUBE/kube-proxy-client.key"

# The API server may read the kubelet's logs and run exec (system:kubelet-api-admin, a default
# ClusterRole), as kubeadm binds it.
"${built[kubectl]}" --kubeconfig "$STATE/kubeconfig" apply --server-side --field-manager sp-kube-env -f - \
  >>"$LOGS/kube-apply.log" 2>&1 <<YAML || die "binding the API server's kubelet client failed; see $LOGS/kube-apply.log"
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: sp-kube-apiserver-kubelet-client
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: system:kubelet-api-admin
subjects:
  - apiGroup: rbac.authorization.k8s.io
    kind: User
    name: kube-apiserver-kubelet-client
YAML

if ! running controller-manager "$controller_manager" "${controller_manager_args[@]}"; then
  stop controller-manager
  port_free "$CM_PORT" || die "127.0.0.1:$CM_PORT is in use by another process (not the kube-controller-manager this script started)"
  start controller-manager "$controller_manager" "${controller_manager_args[@]}"
fi
wait_for controller-manager 120 controller_manager_healthy
# Its controllers act: the service-account controller has made the default namespace's account.
wait_for controller-manager 60 default_account_made
if ! running scheduler "$scheduler" "${scheduler_args[@]}"; then
  stop scheduler
  port_free "$SCHEDULER_PORT" || die "127.0.0.1:$SCHEDULER_PORT is in use by another process (not the kube-scheduler this script started)"
  start scheduler "$scheduler" "${scheduler_args[@]}"
fi
wait_for scheduler 120 scheduler_healthy

cat >"$STATE/kube.env" <<ENV
SP_KUBE_URL=$API_URL
SP_KUBE_CA_FILE=$KUBE/ca.crt
SP_KUBECONFIG=$STATE/kubeconfig
SP_KUBE_ISSUER=$ISSUER
SP_KUBE_SA_SIGNING_KEY=$KUBE/sa.key
SP_KUBECTL=${built[kubectl]}
ENV
echo "kube: kube-apiserver $version on $API_URL (etcd v$ETCD_VERSION on :$ETCD_PORT; kube-controller-manager on :$CM_PORT; kube-scheduler on :$SCHEDULER_PORT; settings in $STATE/kube.env, kubeconfig $STATE/kubeconfig; the node: scripts/kube-node-env.sh)"
