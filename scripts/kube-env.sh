#!/usr/bin/env bash
# A real Kubernetes API server for the tests (test/engine/kube*.ts), built from source (no
# Kubernetes binary is downloadable here; see ../shared/NOTES.md, "A real Kubernetes API server"):
#   - kube-apiserver and kube-controller-manager from k8s.io/kubernetes, as the Go module proxy
#     serves it (both from a copy prepared the same way; the second reuses from the Go build
#     cache the packages the two share),
#   - etcd, its storage, from go.etcd.io/etcd/server/v3 through scripts/kube/etcd (the release's
#     own entry point, nothing added).
# Each binary is cached by version and source checksum under
# ${XDG_CACHE_HOME:-~/.cache}/secrets-platform/kube; a failed step names itself and its log
# (.integration/logs/kube-<step>.log) and installs nothing. The go command checks every module
# against the Go checksum database.
#
# Then starts the three on the loopback address (etcd on :12379, the API server on :6443, the
# controller manager on :10257), or reuses them when they already run with this configuration,
# and waits until the API server is ready and the controllers act:
#   - TLS with certificates for 127.0.0.1/localhost from a CA made here (.integration/kube/ca.crt),
#   - service-account tokens signed with an RSA key made here (.integration/kube/sa.key, 0600),
#     issuer https://kubernetes.default.svc.cluster.local (also the API's only audience), so the
#     TokenRequest and TokenReview APIs work,
#   - RBAC authorization; an admin token (group system:masters) generated once per machine,
#     kept in .integration/kube/tokens.csv (0600) and .integration/kubeconfig, never printed;
#   - the controller manager authenticates with a client certificate from the CA for the user
#     system:kube-controller-manager (bound by the default RBAC policy; key 0600, its own
#     kubeconfig .integration/kube/controller-manager.kubeconfig), and runs each controller as
#     that controller's service account in kube-system.
# Writes .integration/kubeconfig and .integration/kube.env (SP_KUBE_URL, SP_KUBE_CA_FILE,
# SP_KUBECONFIG, ...); integration-env.sh folds the latter into .integration/env. The servers log
# to .integration/kube/etcd.log, apiserver.log and controller-manager.log; their pids are in
# .integration/kube/*.pid.
#
# The controller manager runs only the controllers with work to do when no node exists:
# namespace (a deleted namespace's objects are deleted and the namespace goes away), garbage
# collector (objects whose ownerReferences name deleted owners are deleted) and service account
# (a `default` account in every namespace). No kubelet (pods are accepted and stored, never
# run), no scheduler, and none of the controllers of workloads, nodes, volumes or endpoints.
# Objects are validated and stored by the real server, and authentication and authorization are
# the real ones.
#
#   bash scripts/kube-env.sh               build or reuse, start or reuse, write the settings
#   bash scripts/kube-env.sh --build-only  only build (what .ci/run starts in the background)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
STATE=$ROOT/.integration
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
# The controllers that have work to do where no node exists (README, "The API server engine").
CONTROLLERS=namespace-controller,garbage-collector-controller,serviceaccount-controller
ISSUER=https://kubernetes.default.svc.cluster.local
# Bump when a recipe below changes what it builds: every cached binary is rebuilt.
RECIPE=1
TAG=kube
# tree_sum, module_dir, writable_copy, cached (the build cache, shared with engine-env.sh).
# shellcheck source-path=SCRIPTDIR source=lib/cached-build.sh
. "$ROOT/scripts/lib/cached-build.sh"

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

# build_kubernetes_command <command> <out>: builds ./cmd/<command> of the prepared copy. With
# -trimpath the compiled packages do not depend on the copy's directory, so the second binary
# reuses from the Go build cache the ~2,000 packages it shares with the first (kube-apiserver,
# then kube-controller-manager compiles ~360 more of its own).
build_kubernetes_command() {
  local v=k8s.io/component-base/version
  go build -trimpath -ldflags "-s -w -X $v.gitVersion=v$KUBERNETES_VERSION -X $v.gitMajor=${KUBERNETES_VERSION%%.*} \
    -X $v.gitMinor=$(echo "$KUBERNETES_VERSION" | cut -d. -f2) -X $v.gitTreeState=clean" -o "$2" "./cmd/$1"
}

build_apiserver() { # <work> <out>
  prepare_kubernetes "$1"
  build_kubernetes_command kube-apiserver "$2"
}

build_controller_manager() { # <work> <out>
  prepare_kubernetes "$1"
  build_kubernetes_command kube-controller-manager "$2"
}

build_etcd() { # <work> <out>
  writable_copy "$ETCD_SOURCE" "$1/src"
  cd "$1/src"
  go build -trimpath -ldflags "-s -w" -o "$2" .
}

kubernetes_key="module:$KUBERNETES_VERSION:staging:$STAGING_VERSION"
apiserver="$(cached apiserver kube-apiserver "$KUBERNETES_VERSION" "$kubernetes_key" build_apiserver)"
controller_manager="$(cached controller-manager kube-controller-manager "$KUBERNETES_VERSION" "$kubernetes_key" build_controller_manager)"
etcd="$(cached etcd etcd "$ETCD_VERSION" "$(tree_sum "$ETCD_SOURCE")" build_etcd)"
mkdir -p "$KUBE/bin"
ln -sfn "$apiserver" "$KUBE/bin/kube-apiserver"
ln -sfn "$controller_manager" "$KUBE/bin/kube-controller-manager"
ln -sfn "$etcd" "$KUBE/bin/etcd"
if $build_only; then
  echo "kube: built kube-apiserver and kube-controller-manager v$KUBERNETES_VERSION and etcd v$ETCD_VERSION ($CACHE)"
  exit 0
fi

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
if [ ! -s "$KUBE/ca.crt" ] || [ ! -s "$KUBE/apiserver.crt" ]; then
  # A new CA: every certificate it signed goes with the old one.
  rm -f "$KUBE"/{ca,apiserver,controller-manager,controller-manager-client}.{key,crt}
  openssl_step "CA" openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -keyout "$KUBE/ca.key" -out "$KUBE/ca.crt" \
    -subj "/CN=secrets-platform test Kubernetes CA" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign"
  issue apiserver "serving certificate" "/CN=kube-apiserver" \
    "subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local" \
    "extendedKeyUsage=serverAuth" "keyUsage=critical,digitalSignature,keyEncipherment"
fi
# The controller manager's identity: a client certificate for the user the default RBAC policy
# binds to the system:kube-controller-manager role (the API server trusts the CA for clients).
[ -s "$KUBE/controller-manager-client.crt" ] ||
  issue controller-manager-client "controller manager's client certificate" "/CN=system:kube-controller-manager" \
    "extendedKeyUsage=clientAuth" "keyUsage=critical,digitalSignature,keyEncipherment"
# Its own serving certificate (health checks with the CA, as for the API server).
[ -s "$KUBE/controller-manager.crt" ] ||
  issue controller-manager "controller manager's serving certificate" "/CN=kube-controller-manager" \
    "subjectAltName=IP:127.0.0.1,DNS:localhost" \
    "extendedKeyUsage=serverAuth" "keyUsage=critical,digitalSignature,keyEncipherment"
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
  --bind-address 127.0.0.1 --advertise-address 127.0.0.1 --secure-port "$API_PORT"
  --tls-cert-file "$KUBE/apiserver.crt" --tls-private-key-file "$KUBE/apiserver.key" --cert-dir "$KUBE/certs"
  --service-account-issuer "$ISSUER" --api-audiences "$ISSUER"
  --service-account-key-file "$KUBE/sa.pub" --service-account-signing-key-file "$KUBE/sa.key"
  --authorization-mode RBAC --token-auth-file "$KUBE/tokens.csv"
  # Client certificates signed by the CA: the controller manager's identity.
  --client-ca-file "$KUBE/ca.crt"
  --service-cluster-ip-range 10.96.0.0/24 --profiling=false
  # Loopback only, and nothing in the cluster to reach it: no endpoints for the `kubernetes` service.
  --endpoint-reconciler-type none
)
controller_manager_args=(
  --kubeconfig "$KUBE/controller-manager.kubeconfig"
  # Each controller acts as its own service account in kube-system (namespace-controller,
  # generic-garbage-collector, service-account-controller), with the bootstrap RBAC role of
  # that controller; tokens from the TokenRequest API, so no signing key here.
  --use-service-account-credentials
  --controllers "$CONTROLLERS"
  --leader-elect=false
  --bind-address 127.0.0.1 --secure-port "$CM_PORT"
  --tls-cert-file "$KUBE/controller-manager.crt" --tls-private-key-file "$KUBE/controller-manager.key"
  # No delegated authentication or authorization: only /healthz, /readyz and /livez answer
  # (anonymously); metrics and the rest are refused.
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
if ! running apiserver "$apiserver" "${apiserver_args[@]}"; then
  stop apiserver
  port_free "$API_PORT" || die "127.0.0.1:$API_PORT is in use by another process (not the kube-apiserver this script started)"
  start apiserver "$apiserver" "${apiserver_args[@]}"
fi
wait_for apiserver 180 api_ready
version="$(admin_get version | python3 -c 'import json, sys; print(json.load(sys.stdin)["gitVersion"])')" ||
  die "the admin token is refused by the API server; see $KUBE/apiserver.log"
[ "$version" = "v$KUBERNETES_VERSION" ] || die "the API server reports $version, expected v$KUBERNETES_VERSION"

cat >"$KUBE/controller-manager.kubeconfig" <<KUBECONFIG
apiVersion: v1
kind: Config
clusters:
  - name: sp-local
    cluster:
      server: $API_URL
      certificate-authority: $KUBE/ca.crt
users:
  - name: system:kube-controller-manager
    user:
      client-certificate: $KUBE/controller-manager-client.crt
      client-key: $KUBE/controller-manager-client.key
contexts:
  - name: sp-local
    context:
      cluster: sp-local
      user: system:kube-controller-manager
current-context: sp-local
KUBECONFIG
if ! running controller-manager "$controller_manager" "${controller_manager_args[@]}"; then
  stop controller-manager
  port_free "$CM_PORT" || die "127.0.0.1:$CM_PORT is in use by another process (not the kube-controller-manager this script started)"
  start controller-manager "$controller_manager" "${controller_manager_args[@]}"
fi
wait_for controller-manager 120 controller_manager_healthy
# Its controllers act: the service-account controller has made the default namespace's account.
wait_for controller-manager 60 default_account_made

cat >"$STATE/kubeconfig" <<KUBECONFIG
apiVersion: v1
kind: Config
clusters:
  - name: sp-local
    cluster:
      server: $API_URL
      certificate-authority: $KUBE/ca.crt
users:
  - name: sp-admin
    user:
      token: $admin_token
contexts:
  - name: sp-local
    context:
      cluster: sp-local
      user: sp-admin
current-context: sp-local
KUBECONFIG
cat >"$STATE/kube.env" <<ENV
SP_KUBE_URL=$API_URL
SP_KUBE_CA_FILE=$KUBE/ca.crt
SP_KUBECONFIG=$STATE/kubeconfig
SP_KUBE_ISSUER=$ISSUER
SP_KUBE_SA_SIGNING_KEY=$KUBE/sa.key
ENV
echo "kube: kube-apiserver $version on $API_URL (etcd v$ETCD_VERSION on :$ETCD_PORT; kube-controller-manager on :$CM_PORT with the namespace, garbage-collector and service-account controllers; no kubelet: pods never run; settings in $STATE/kube.env, kubeconfig $STATE/kubeconfig)"
