#!/usr/bin/env bash
# The node of the tests' one-node Kubernetes: pods really run here. scripts/kube-env.sh starts
# the control plane (and builds kubelet, kube-proxy and kubectl from the same Kubernetes tree);
# this script builds the rest from source (nothing is downloadable here but Go modules and
# Debian packages; see ../shared/NOTES.md, "Running pods on this machine"), each cached by
# version and recipe under ${XDG_CACHE_HOME:-~/.cache}/secrets-platform/kube-node, a failed step
# naming itself and its log (.integration/logs/kube-node-<step>.log) and installing nothing:
#   - containerd (with containerd-shim-runc-v2 and ctr), runc with seccomp compiled in (cgo,
#     Debian's libseccomp-dev), the CNI plugins bridge, host-local, loopback and portmap,
#     crictl, CoreDNS, and pause (C, from the Kubernetes tree);
#   - Reloader v1.4.22 (the only version the Go module proxy lists), its source as released, but
#     with one dependency a week older than it asks for: it requires github.com/openshift/api
#     v0.0.0-20260402111718-ad9eb11110b6, which the proxy refuses ("403 Forbidden: This module
#     version is not available"), so the build takes v0.0.0-20260326111139-30c2ef7a272e, the
#     version Reloader's own github.com/openshift/client-go pin requires (Reloader reads only
#     OpenShift's DeploymentConfig types from it, which this cluster does not serve);
#   - scripts/kube/image, a small program on go-containerregistry that writes the images.
# Images are made here from those binaries and from the other engines' (Vault from
# scripts/vault-env.sh, the ESO controller from scripts/eso-env.sh), with Debian's
# busybox-static where a shell is needed, and imported into containerd under local tags of the
# reserved domain secrets-platform.invalid, each naming the version it holds. containerd sends
# any pull to the loopback address's discard port (certs.d/_default): no registry is contacted.
#
# Then starts the node, or reuses what runs with this configuration:
#   - the bridge sp-kube0 with the node's address 10.244.0.1/24; pods get addresses of
#     10.244.0.0/24 and routes to that range and to the Services' 10.96.0.0/24 only (no default
#     route, no masquerade); an nftables table of its own (sp_kube_node) drops whatever would be
#     forwarded between the bridge and any other interface, and whatever another interface
#     sends to the pods' range. IP forwarding is on (a pod reaching a Service's pod is routed
#     back onto the bridge);
#   - containerd (restrict_oom_score_adj: this machine forbids lowering OOM scores, even to root;
#     the sandbox image is the local pause), sockets under .integration/node/run;
#   - the kubelet as node sp-node (failCgroupV1: false, as this machine boots with cgroup v1;
#     failSwapOn: false; the cgroupfs driver; cluster DNS 10.96.0.10; no name server inherited
#     from this machine), serving on 10.244.0.1:10250 with a certificate from the cluster's CA;
#   - kube-proxy in nftables mode (Services' virtual addresses, for pods);
#   - CoreDNS in kube-system (scripts/kube/node/coredns.yaml).
# and waits until the node is Ready and CoreDNS answers. Writes .integration/node.env (the
# images' references, crictl, the ranges), which integration-env.sh folds into .integration/env.
# Needs root, or a user with passwordless sudo: then only what needs root (the network,
# mounts, containerd, the kubelet, kube-proxy) runs through sudo. Logs: .integration/node/*.log.
#
#   bash scripts/kube-node-env.sh               build or reuse, start or reuse, write the settings
#   bash scripts/kube-node-env.sh --build-only  only build (what .ci/run starts in the background)
#   bash scripts/kube-node-env.sh --stop        stop the node: every pod's containers and sandbox,
#                                               their network namespaces, mounts and the bridge
set -euo pipefail
# The node's processes create what pods read (containerd unpacks image layers, the kubelet
# makes volumes): they must not inherit a caller's umask 077 (integration-env.sh sets one to
# write its settings), or a non-root container cannot traverse its own root ("stat /coredns:
# permission denied"). Private files below are written under their own umask.
umask 022
cd "$(dirname "$0")/.."
ROOT=$PWD
# The real path: checkouts whose .integration links to one directory share one cluster, and
# recognise its processes by the paths in their command lines.
mkdir -p "$ROOT/.integration"
STATE="$(cd "$ROOT/.integration" && pwd -P)"
KUBE=$STATE/kube
NODE=$STATE/node
LOGS=$STATE/logs
CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/secrets-platform/kube-node"

CONTAINERD_VERSION=2.4.2
RUNC_VERSION=1.5.3
CNI_PLUGINS_VERSION=1.10.0
CRICTL_VERSION=1.37.0
COREDNS_VERSION=1.15.0
RELOADER_VERSION=1.4.22
# The served openshift/api Reloader is built with (see above).
RELOADER_OPENSHIFT_API=v0.0.0-20260326111139-30c2ef7a272e
# The Kubernetes tree pause comes from, and pause's own version in it (build/pause/Makefile).
KUBERNETES_VERSION=1.37.2
PAUSE_VERSION=3.10.2
IMAGE_SOURCE=$ROOT/scripts/kube/image
COREDNS_MANIFEST=$ROOT/scripts/kube/node/coredns.yaml
# The uploader image's AWS CLI, the one scripts/integration-env.sh installs for the tests.
# shellcheck source-path=SCRIPTDIR source=lib/aws-cli.sh
. "$ROOT/scripts/lib/aws-cli.sh"
# Must match scripts/kube-env.sh.
NODE_NAME=sp-node
NODE_IP=10.244.0.1
NODE_BRIDGE=sp-kube0
POD_CIDR=10.244.0.0/24
SERVICE_CIDR=10.96.0.0/24
DNS_IP=10.96.0.10
REGISTRY=secrets-platform.invalid
# Bump when a recipe below changes what it builds: every cached binary is rebuilt.
RECIPE=1
TAG=kube-node
# cached, measured, module_dir, writable_copy, tree_sum, die (shared with the other engines).
# shellcheck source-path=SCRIPTDIR source=lib/cached-build.sh
. "$ROOT/scripts/lib/cached-build.sh"
# need_root, alive.
# shellcheck source-path=SCRIPTDIR source=lib/root.sh
. "$ROOT/scripts/lib/root.sh"

mode=start
case "${1:-}" in
  --build-only) mode=build ;;
  --stop) mode=stop ;;
  "") ;;
  *) die "unknown argument '$1' (usage: kube-node-env.sh [--build-only | --stop])" ;;
esac

export GOFLAGS="-mod=mod -buildvcs=false"
export GOWORK=off
if [ "$mode" = build ]; then
  # Building needs no root (but for Debian packages it may install).
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO=sudo
else
  need_root "the node (its bridge, network namespaces, nftables, mounts, containerd, the kubelet, kube-proxy)"
fi
if [ "$mode" != stop ]; then
  command -v go >/dev/null || die "Go is not installed (Go 1.26 or later builds the node)"
  # Debian packages: seccomp's headers (runc), the shell of the images, nft (kube-proxy, guard).
  need_apt=()
  [ -e /usr/include/seccomp.h ] || need_apt+=(libseccomp-dev)
  [ -x /bin/busybox ] && grep -qx sh <<<"$(/bin/busybox --list)" || need_apt+=(busybox-static)
  command -v nft >/dev/null || [ -x /usr/sbin/nft ] || need_apt+=(nftables)
  command -v gcc >/dev/null || need_apt+=(gcc libc6-dev)
  if [ ${#need_apt[@]} -gt 0 ]; then
    echo "kube-node-env: installing ${need_apt[*]} (apt)" >&2
    mkdir -p "$LOGS"
    $SUDO apt-get update -qq >>"$LOGS/kube-node-apt.log" 2>&1 &&
      DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >>"$LOGS/kube-node-apt.log" 2>&1 ||
      die "installing ${need_apt[*]} failed; see $LOGS/kube-node-apt.log"
  fi
  ldd /bin/busybox >/dev/null 2>&1 && die "/bin/busybox is linked dynamically; the images need Debian's busybox-static"
fi

mkdir -p "$STATE" "$LOGS" "$CACHE" "$NODE"
# One set-up at a time (a build in the background, a start waiting for it, a stop).
exec 7>"$STATE/kube-node.lock"
flock 7

# --- Building ---------------------------------------------------------------------------------

# go_build_in <module@version> <work> <out> <package> [go build flags...]: builds a package of a
# module as that module's own main module (its go.mod, replaces included, as released).
go_build_in() {
  local module=$1 work=$2 out=$3 package=$4
  shift 4
  writable_copy "$(module_dir "$module")" "$work/src"
  cd "$work/src"
  measured go build -trimpath "$@" -o "$out" "$package"
}
build_containerd_binary() { # <work> <out>: containerd, containerd-shim-runc-v2 or ctr
  go_build_in "github.com/containerd/containerd/v2@v$CONTAINERD_VERSION" "$1" "$2" "./cmd/$(basename "$2")" \
    -ldflags "-s -w -X github.com/containerd/containerd/v2/version.Version=v$CONTAINERD_VERSION"
}
build_runc() { # seccomp compiled in: without it every pod fails (NOTES)
  CGO_ENABLED=1 go_build_in "github.com/opencontainers/runc@v$RUNC_VERSION" "$1" "$2" . -tags seccomp \
    -ldflags "-s -w -X main.version=$RUNC_VERSION"
  grep -q "^libseccomp: " <<<"$("$2" --version)"
}
cni_package() {
  case $1 in
    bridge | loopback) echo "./plugins/main/$1" ;;
    host-local) echo "./plugins/ipam/$1" ;;
    portmap) echo "./plugins/meta/$1" ;;
  esac
}
build_cni_plugin() {
  CGO_ENABLED=0 go_build_in "github.com/containernetworking/plugins@v$CNI_PLUGINS_VERSION" "$1" "$2" \
    "$(cni_package "$(basename "$2")")" \
    -ldflags "-s -w -X github.com/containernetworking/plugins/pkg/utils/buildversion.BuildVersion=v$CNI_PLUGINS_VERSION"
}
build_crictl() {
  CGO_ENABLED=0 go_build_in "sigs.k8s.io/cri-tools@v$CRICTL_VERSION" "$1" "$2" ./cmd/crictl \
    -ldflags "-s -w -X sigs.k8s.io/cri-tools/pkg/version.Version=v$CRICTL_VERSION"
}
# Only the plugins scripts/kube/node/coredns.yaml's Corefile uses, chosen the way CoreDNS's
# own build does (plugin.cfg, then its directives generator), not its ~70 others with their
# cloud SDKs: the full build took 23 minutes here, this one a fraction of it.
COREDNS_PLUGINS="errors|health|ready|kubernetes|cache|loop|loadbalance"
build_coredns() {
  writable_copy "$(module_dir "github.com/coredns/coredns@v$COREDNS_VERSION")" "$1/src"
  cd "$1/src"
  grep -E "^($COREDNS_PLUGINS):" plugin.cfg >plugin.cfg.used
  mv plugin.cfg.used plugin.cfg
  go run directives_generate.go
  CGO_ENABLED=0 measured go build -trimpath -ldflags "-s -w" -o "$2" .
  grep -q "CoreDNS-$COREDNS_VERSION" <<<"$("$2" -version)"
}
build_reloader() {
  writable_copy "$(module_dir "github.com/stakater/Reloader@v$RELOADER_VERSION")" "$1/src"
  cd "$1/src"
  go mod edit -replace "github.com/openshift/api=github.com/openshift/api@$RELOADER_OPENSHIFT_API"
  CGO_ENABLED=0 measured go build -trimpath \
    -ldflags "-s -w -X github.com/stakater/Reloader/pkg/common.Version=$RELOADER_VERSION" -o "$2" .
}
build_image_tool() {
  writable_copy "$IMAGE_SOURCE" "$1/src"
  cd "$1/src"
  CGO_ENABLED=0 measured go build -trimpath -ldflags "-s -w" -o "$2" .
}
build_pause() { # as build/pause/Makefile compiles it
  local src
  src="$(module_dir "k8s.io/kubernetes@v$KUBERNETES_VERSION")/build/pause/linux/pause.c"
  measured gcc -Os -Wall -Werror -static -DVERSION="v$PAUSE_VERSION-k8s$KUBERNETES_VERSION" -o "$2" "$src"
}

declare -A bin
build_all() {
  local name
  for name in containerd containerd-shim-runc-v2 ctr; do
    bin[$name]="$(cached "$name" "$name" "$CONTAINERD_VERSION" "module:$CONTAINERD_VERSION" build_containerd_binary)"
  done
  bin[runc]="$(cached runc runc "$RUNC_VERSION" "module:$RUNC_VERSION:seccomp" build_runc)"
  for name in bridge host-local loopback portmap; do
    bin[$name]="$(cached "cni-$name" "$name" "$CNI_PLUGINS_VERSION" "module:$CNI_PLUGINS_VERSION" build_cni_plugin)"
  done
  bin[crictl]="$(cached crictl crictl "$CRICTL_VERSION" "module:$CRICTL_VERSION" build_crictl)"
  bin[coredns]="$(cached coredns coredns "$COREDNS_VERSION" "module:$COREDNS_VERSION:plugins:$COREDNS_PLUGINS" build_coredns)"
  bin[pause]="$(cached pause pause "$PAUSE_VERSION" "kubernetes:$KUBERNETES_VERSION" build_pause)"
  bin[reloader]="$(cached reloader reloader "$RELOADER_VERSION" "module:$RELOADER_VERSION:openshift-api:$RELOADER_OPENSHIFT_API" build_reloader)"
  bin[image]="$(cached image image 1 "$(tree_sum "$IMAGE_SOURCE")" build_image_tool)"
  # The node's binaries in one directory: containerd finds the shim on its PATH.
  mkdir -p "$NODE/bin" "$NODE/cni/bin"
  for name in containerd containerd-shim-runc-v2 ctr runc crictl; do ln -sfn "${bin[$name]}" "$NODE/bin/$name"; done
  for name in bridge host-local loopback portmap; do ln -sfn "${bin[$name]}" "$NODE/cni/bin/$name"; done
}

# --- Stopping ---------------------------------------------------------------------------------

pid_of() { cat "$NODE/$1.pid" 2>/dev/null || true; }
# ours <name>: the pid of our process <name>, if it runs (a pid file and a command line that
# names this checkout's node directory or binaries).
ours() {
  local pid
  pid="$(pid_of "$1")"
  [ -n "$pid" ] && alive "$pid" && grep -qa -e "$NODE" -e "$CACHE" -e "$KUBE" "/proc/$pid/cmdline" 2>/dev/null &&
    echo "$pid"
}
# stop_process <name> [seconds]: ends our process <name> and waits for it to exit.
stop_process() {
  local pid
  pid="$(ours "$1")" || true
  if [ -n "$pid" ]; then
    $SUDO kill "$pid"
    for _ in $(seq 1 $((${2:-30} * 5))); do alive "$pid" || break; sleep 0.2; done
    ! alive "$pid" || $SUDO kill -9 "$pid"
  fi
  rm -f "$NODE/$1.pid"
}
crictl_() {
  printf '%s\n' "runtime-endpoint: unix://$NODE/run/containerd.sock" "timeout: 30" >"$NODE/crictl.yaml"
  $SUDO "$NODE/bin/crictl" --config "$NODE/crictl.yaml" "$@"
}
stop_node() {
  # The kubelet first, so that nothing restarts what is removed below.
  stop_process kubelet 60
  if [ -n "$(ours containerd)" ]; then
    # Every pod: its containers stopped, its sandbox (and with it its network namespace, through
    # CNI's DEL) removed.
    crictl_ stopp $(crictl_ pods -q) >/dev/null 2>&1 || true
    crictl_ rmp -a -f >/dev/null 2>&1 || true
  fi
  stop_process kube-proxy
  [ -x "$KUBE/bin/kube-proxy" ] && $SUDO "$KUBE/bin/kube-proxy" --cleanup >>"$NODE/kube-proxy.log" 2>&1 || true
  stop_process containerd 60
  # What a killed process may have left: the shims, mounts under the node's directories,
  # network namespaces CNI made, the bridge, the guard.
  local pid mount
  for pid in $(pgrep -f "containerd-shim-runc-v2 .*-address $NODE/run/containerd.sock" || true); do $SUDO kill "$pid" 2>/dev/null || true; done
  awk '{print $2}' /proc/self/mounts | grep -e "^$NODE/" -e "^/run/netns/cni-" | sort -r | while read -r mount; do
    $SUDO umount -l "$mount" 2>/dev/null || true
  done
  for mount in /run/netns/cni-*; do [ -e "$mount" ] && $SUDO ip netns delete "$(basename "$mount")" 2>/dev/null || true; done
  if ip link show "$NODE_BRIDGE" >/dev/null 2>&1; then $SUDO ip link delete "$NODE_BRIDGE"; fi
  $SUDO nft delete table ip sp_kube_node 2>/dev/null || true
  $SUDO rm -rf "$NODE/cni/ipam"
}

if [ "$mode" = stop ]; then
  stop_node
  rm -f "$STATE/node.env"
  echo "kube-node: stopped (no pod, sandbox, network namespace, mount or bridge of the node is left)"
  exit 0
fi

build_all
if [ "$mode" = build ]; then
  echo "kube-node: built containerd $CONTAINERD_VERSION, runc $RUNC_VERSION, CNI plugins $CNI_PLUGINS_VERSION, crictl $CRICTL_VERSION, CoreDNS $COREDNS_VERSION, pause $PAUSE_VERSION, Reloader $RELOADER_VERSION ($CACHE)"
  exit 0
fi

# --- Starting ---------------------------------------------------------------------------------

[ -s "$STATE/kube.env" ] && [ -x "$KUBE/bin/kubelet" ] && [ -s "$KUBE/kubelet.kubeconfig" ] ||
  die "the control plane is not set up; run scripts/kube-env.sh first"
KUBECTL=("$KUBE/bin/kubectl" --kubeconfig "$STATE/kubeconfig")
"${KUBECTL[@]}" get --raw /readyz >/dev/null 2>&1 || die "the API server is not ready; run scripts/kube-env.sh first"
mkdir -p "$NODE/run" "$NODE/images" "$NODE/cni/conf"

# Images. image <name> <version> <image tool options...>: builds (once per content) and names
# $REGISTRY/<name>:<version>; IMAGES collects name=reference, TARBALLS the files to import.
declare -A IMAGES IMAGE_KEYS
TARBALLS=()
image() {
  local name=$1 version=$2 ref tarball key
  shift 2
  ref="$REGISTRY/$name:$version"
  # The content: the options, every file they name and its mode (the image keeps modes: a binary
  # rebuilt 0755 from one left 0700 has the same bytes but must make a new image).
  key="$( (printf '%s\n' "$ref" "$@" "${bin[image]}"; printf '%s\n' "$@" | sed -n 's/^-file=[^=]*=//p' | xargs -r sha256sum; printf '%s\n' "$@" | sed -n 's/^-file=[^=]*=//p' | xargs -r stat -L -c '%a %n'
    local tree
    for tree in $(printf '%s\n' "$@" | sed -n 's/^-tree=[^=]*=//p'); do
      tree_sum "$tree"
      (cd "$tree" && find . -printf '%m %y %p %l\n' | LC_ALL=C sort)
    done) | sha256sum | cut -c1-16)"
  tarball="$NODE/images/$name-$version-$key.tar"
  if [ ! -s "$tarball" ]; then
    rm -f "$NODE/images/$name-$version-"*.tar
    "${bin[image]}" -tag "$ref" -out "$tarball.tmp" "$@" >>"$LOGS/kube-node-images.log" 2>&1 ||
      die "building the image $ref failed; see $LOGS/kube-node-images.log"
    mv "$tarball.tmp" "$tarball"
  fi
  IMAGES[$name]=$ref
  IMAGE_KEYS[$name]=$key
  TARBALLS+=("$tarball")
}
# busybox_options <dir>: the options that put Debian's static busybox and a link per applet under <dir>.
busybox_options() {
  local applet
  echo "-file=$1/busybox=/bin/busybox"
  for applet in $(/bin/busybox --list); do [ "$applet" = busybox ] || echo "-link=$1/$applet=busybox"; done
}
# shared_libraries <binary>: for a binary linked dynamically (Go with cgo: the other engines'
# builds), options that add the libraries it loads, and the loader, at their paths here.
shared_libraries() {
  local lib
  ldd "$1" >/dev/null 2>&1 || return 0 # static
  for lib in $(ldd "$1" | grep -o '/[^ ]*'); do echo "-file=$lib=$(readlink -f "$lib")"; done
}
busybox_version="$(/bin/busybox | sed -n '1s/^BusyBox v\([0-9.]*\).*/\1/p')"
[ -n "$busybox_version" ] || die "cannot read the version of /bin/busybox"
mapfile -t busybox < <(busybox_options /bin)
tmp_dirs=(-dir=/tmp=1777)

image pause "$PAUSE_VERSION" -file=/pause="${bin[pause]}" -entrypoint='["/pause"]' -user=65535
image busybox "$busybox_version" "${busybox[@]}" "${tmp_dirs[@]}" -entrypoint='["/bin/sh"]'
image coredns "$COREDNS_VERSION" -file=/coredns="${bin[coredns]}" -entrypoint='["/coredns"]'
# The reloader chart runs the image's entrypoint as a non-root user of its own choosing.
image reloader "v$RELOADER_VERSION" -file=/manager="${bin[reloader]}" -entrypoint='["/manager"]' -user=65534
# The other engines' binaries, when they are built (scripts/eso-env.sh, scripts/vault-env.sh).
if [ -s "$STATE/eso.env" ]; then
  eso_controller="$(sed -n 's/^SP_ESO_CONTROLLER=//p' "$STATE/eso.env")"
  eso_version="$(sed -n 's/^SP_ESO_VERSION=//p' "$STATE/eso.env")"
  # The chart runs /bin/external-secrets (controller, webhook, certcontroller) as 1000.
  mapfile -t eso_libraries < <(shared_libraries "$eso_controller")
  image external-secrets "v$eso_version" -file=/bin/external-secrets="$eso_controller" "${eso_libraries[@]}" "${tmp_dirs[@]}" \
    -entrypoint='["/bin/external-secrets"]' -user=1000
fi
# vault_image <binary>: the Vault server's image of that build, tagged with the version it reports.
vault_image() {
  local version libraries
  version="$("$1" version | sed -n 's/^Vault v\([0-9.]*\).*/\1/p')"
  # The vault chart runs `/bin/sh -ec` with busybox's applets, then docker-entrypoint.sh.
  mapfile -t libraries < <(shared_libraries "$1")
  image vault "$version" "${busybox[@]}" "${libraries[@]}" "${tmp_dirs[@]}" -file=/bin/vault="$1" \
    -file=/usr/local/bin/docker-entrypoint.sh="$ROOT/scripts/kube/node/vault-entrypoint.sh" \
    -dir=/vault/config=0755 -dir=/vault/logs=0777 -dir=/vault/file=0777 -dir=/home/vault=0777 \
    -env=HOME=/home/vault -entrypoint='["/usr/local/bin/docker-entrypoint.sh"]' -cmd='["server", "-dev"]' -user=100
}
# The release the pods suite upgrades from (scripts/vault-env.sh): SP_IMAGE_VAULT_PREVIOUS.
if [ -x "$STATE/bin/vault-previous" ]; then
  vault_image "$STATE/bin/vault-previous"
  IMAGES[vault-previous]=${IMAGES[vault]}
fi
if [ -x "$STATE/bin/vault" ]; then
  vault_image "$STATE/bin/vault"
fi

# The Vault snapshot job's uploader (components/vault/snapshots): the AWS CLI v1 from PyPI, whose
# `aws s3 cp` takes the arguments the program gives the v2 image it pins, on Debian's Python (its
# library, and every shared library the interpreter and its extension modules load), as user 100.
# pip installs it once per version into the cache; its `bin/aws` starts /usr/bin/python3.
python_version="$(/usr/bin/python3 -c 'import sys; print("%d.%d" % sys.version_info[:2])')"
awscli_dir="$CACHE/aws-cli/$AWSCLI_VERSION-python$python_version"
if [ ! -f "$awscli_dir/complete" ]; then
  rm -rf "$awscli_dir"
  /usr/bin/python3 -m pip install -q --no-cache-dir --root-user-action=ignore --target "$awscli_dir/site" \
    "awscli==$AWSCLI_VERSION" >>"$LOGS/kube-node-images.log" 2>&1 ||
    die "installing awscli $AWSCLI_VERSION for the uploader's image failed; see $LOGS/kube-node-images.log"
  touch "$awscli_dir/complete"
fi
python_lib=/usr/lib/python$python_version
mapfile -t python_libraries < <(for so in "/usr/bin/python$python_version" "$python_lib"/lib-dynload/*.so; do
  shared_libraries "$so"
done | sort -u)
image aws-cli "$AWSCLI_VERSION" -file="/usr/bin/python$python_version=/usr/bin/python$python_version" \
  -link=/usr/bin/python3="python$python_version" "${python_libraries[@]}" -tree="$python_lib=$python_lib" \
  -tree=/opt/aws-cli="$awscli_dir/site" -file=/usr/local/bin/aws="$awscli_dir/site/bin/aws" \
  -env=PYTHONPATH=/opt/aws-cli "${tmp_dirs[@]}" -entrypoint='["/usr/local/bin/aws"]' -user=100

# The network: the bridge with the node's address, forwarding on, and the guard.
if ! ip link show "$NODE_BRIDGE" >/dev/null 2>&1; then
  $SUDO ip link add "$NODE_BRIDGE" type bridge
fi
# (Not `ip | grep -q`: with pipefail, grep's early exit fails the pipe.)
grep -q "inet $NODE_IP/" <<<"$(ip -4 addr show dev "$NODE_BRIDGE")" || $SUDO ip addr add "$NODE_IP/24" dev "$NODE_BRIDGE"
$SUDO ip link set "$NODE_BRIDGE" up
[ -e /proc/sys/net/bridge/bridge-nf-call-iptables ] ||
  die "the kernel has no br_netfilter: traffic between pods on the bridge would bypass kube-proxy's rules"
echo 1 | $SUDO tee /proc/sys/net/bridge/bridge-nf-call-iptables /proc/sys/net/ipv4/ip_forward >/dev/null
$SUDO nft -f - >>"$LOGS/kube-node-nft.log" 2>&1 <<NFT || die "installing the node's nftables guard failed; see $LOGS/kube-node-nft.log"
table ip sp_kube_node
delete table ip sp_kube_node
table ip sp_kube_node {
  chain forward {
    type filter hook forward priority filter - 10; policy accept;
    iifname "$NODE_BRIDGE" oifname != "$NODE_BRIDGE" drop
    oifname "$NODE_BRIDGE" iifname != "$NODE_BRIDGE" drop
  }
  chain input {
    type filter hook input priority filter - 10; policy accept;
    ip daddr $POD_CIDR iifname != { "lo", "$NODE_BRIDGE" } drop
  }
}
NFT

# CNI: the bridge, addresses from the pod range, routes to pods and Services only.
cat >"$NODE/cni/conf/10-sp-kube.conflist" <<JSON
{
  "cniVersion": "1.0.0",
  "name": "sp-kube",
  "plugins": [
    {
      "type": "bridge",
      "bridge": "$NODE_BRIDGE",
      "isGateway": true,
      "isDefaultGateway": false,
      "ipMasq": false,
      "hairpinMode": true,
      "ipam": {
        "type": "host-local",
        "dataDir": "$NODE/cni/ipam",
        "ranges": [[{ "subnet": "$POD_CIDR", "rangeStart": "10.244.0.10", "gateway": "$NODE_IP" }]],
        "routes": [{ "dst": "$SERVICE_CIDR" }]
      }
    },
    { "type": "portmap", "backend": "nftables", "capabilities": { "portMappings": true } }
  ]
}
JSON

# containerd.
mkdir -p "$NODE/certs.d/_default"
echo 'server = "http://127.0.0.1:9"' >"$NODE/certs.d/_default/hosts.toml"
cat >"$NODE/containerd.toml" <<TOML
version = 4
root = "$NODE/containerd/root"
state = "$NODE/containerd/state"
# Only this file: not the drop-ins of a containerd this machine may run (/etc/containerd/conf.d).
imports = []

[plugins."io.containerd.server.v1.grpc"]
  address = "$NODE/run/containerd.sock"

[plugins."io.containerd.server.v1.ttrpc"]
  address = "$NODE/run/containerd.sock.ttrpc"

[plugins."io.containerd.server.v1.metrics"]
  address = ""

[plugins."io.containerd.cri.v1.runtime"]
  # This machine forbids lowering a process's OOM score, even to root (NOTES).
  restrict_oom_score_adj = true
  [plugins."io.containerd.cri.v1.runtime".containerd]
    default_runtime_name = "runc"
    [plugins."io.containerd.cri.v1.runtime".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.cri.v1.runtime".containerd.runtimes.runc.options]
        BinaryName = "${bin[runc]}"
        SystemdCgroup = false
  [plugins."io.containerd.cri.v1.runtime".cni]
    bin_dirs = ["$NODE/cni/bin"]
    conf_dir = "$NODE/cni/conf"
    max_conf_num = 1

[plugins."io.containerd.cri.v1.images"]
  snapshotter = "overlayfs"
  [plugins."io.containerd.cri.v1.images".pinned_images]
    sandbox = "${IMAGES[pause]}"
  # No registry: every image is imported, and a pull (an image a chart names that was not
  # imported) goes to the discard port of the loopback address, where it fails at once.
  [plugins."io.containerd.cri.v1.images".registry]
    config_path = "$NODE/certs.d"

[plugins."io.containerd.grpc.v1.cri"]
  # exec, attach and port-forward: on the loopback address only.
  stream_server_address = "127.0.0.1"
  stream_server_port = "0"
TOML

kubelet_args=(
  --config "$NODE/kubelet.yaml" --kubeconfig "$KUBE/kubelet.kubeconfig"
  --root-dir "$NODE/kubelet" --hostname-override "$NODE_NAME" --node-ip "$NODE_IP"
)
cat >"$NODE/kubelet.yaml" <<YAML
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
# This machine boots with cgroup v1 (hybrid); since 1.35 the kubelet refuses it unless told.
failCgroupV1: false
failSwapOn: false
cgroupDriver: cgroupfs
containerRuntimeEndpoint: unix://$NODE/run/containerd.sock
address: $NODE_IP
port: 10250
readOnlyPort: 0
healthzBindAddress: 127.0.0.1
healthzPort: 10248
tlsCertFile: $KUBE/kubelet.crt
tlsPrivateKeyFile: $KUBE/kubelet.key
authentication:
  anonymous: { enabled: false }
  webhook: { enabled: true }
  x509: { clientCAFile: $KUBE/ca.crt }
authorization:
  mode: Webhook
clusterDomain: cluster.local
clusterDNS: [$DNS_IP]
# No name server of this machine's reaches a pod: names resolve in the cluster or not at all.
resolvConf: ""
# Images cannot be pulled again: never collect them.
imageGCHighThresholdPercent: 100
imageGCLowThresholdPercent: 99
# A shared build machine: evict only when really short.
evictionHard:
  memory.available: 200Mi
  nodefs.available: 2%
  imagefs.available: 2%
  nodefs.inodesFree: 2%
serializeImagePulls: false
YAML

kube_proxy_args=(--config "$NODE/kube-proxy.yaml" --hostname-override "$NODE_NAME")
cat >"$NODE/kube-proxy.yaml" <<YAML
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
mode: nftables
clientConnection:
  kubeconfig: $KUBE/kube-proxy.kubeconfig
clusterCIDR: $POD_CIDR
healthzBindAddress: 127.0.0.1:10256
metricsBindAddress: 127.0.0.1:10249
nodePortAddresses: [$NODE_IP/32]
# Leave this machine's conntrack settings as they are.
conntrack:
  maxPerCore: 0
  min: 0
  tcpEstablishedTimeout: 0s
  tcpCloseWaitTimeout: 0s
YAML

# start <name> <files> <args...>: (re)starts <name> unless our process runs with exactly these
# arguments and these files (space-separated: its configuration) as they were when it started.
start() {
  local name=$1 sum pid
  sum="$(echo "$2" | xargs sha256sum | sha256sum | cut -c1-16)"
  shift 2
  pid="$(ours "$name")" || true
  if [ -n "$pid" ] && [ "$(cat "$NODE/$name.sum" 2>/dev/null)" = "$sum" ] &&
    [ "$(tr '\0' ' ' <"/proc/$pid/cmdline")" = "$(printf '%s ' "$@")" ]; then
    return 0
  fi
  [ -z "$pid" ] || echo "kube-node-env: restarting $name (pid $pid)" >&2
  stop_process "$name" 60
  # 7>&-: the process must not hold the lock. The pid is written by the process itself (a
  # shell that then execs it): through sudo, $! would be sudo's.
  rm -f "$NODE/$name.pid"
  # shellcheck disable=SC2016 # $$ and $0 are the inner shell's
  $SUDO env PATH="$NODE/bin:$PATH" nohup sh -c 'echo $$ >"$0" && exec "$@"' "$NODE/$name.pid" "$@" \
    >>"$NODE/$name.log" 2>&1 7>&- &
  for _ in $(seq 1 100); do [ -s "$NODE/$name.pid" ] && break; sleep 0.1; done
  echo "$sum" >"$NODE/$name.sum"
}
wait_for() { # <name> <seconds> <check command...>
  local name=$1 seconds=$2
  shift 2
  for _ in $(seq 1 $((seconds * 2))); do
    "$@" && return 0
    [ -n "$(ours "$name")" ] || die "$name exited while starting; see $NODE/$name.log"
    sleep 0.5
  done
  die "$name is not ready after $seconds s; see $NODE/$name.log"
}
start containerd "$NODE/containerd.toml" "${bin[containerd]}" --config "$NODE/containerd.toml" --log-level warn
containerd_up() { $SUDO "$NODE/bin/ctr" --address "$NODE/run/containerd.sock" version >/dev/null 2>&1; }
wait_for containerd 60 containerd_up
for tarball in "${TARBALLS[@]}"; do
  $SUDO "$NODE/bin/ctr" --address "$NODE/run/containerd.sock" -n k8s.io images import "$tarball" \
    >>"$LOGS/kube-node-images.log" 2>&1 || die "importing $tarball into containerd failed; see $LOGS/kube-node-images.log"
done

start kubelet "$NODE/kubelet.yaml $KUBE/kubelet.kubeconfig $KUBE/kubelet.crt" "$(readlink "$KUBE/bin/kubelet")" "${kubelet_args[@]}"
node_ready() {
  [ "$("${KUBECTL[@]}" get node "$NODE_NAME" -o 'jsonpath={.status.conditions[?(@.type=="Ready")].status}' 2>/dev/null)" = True ]
}
wait_for kubelet 180 node_ready

start kube-proxy "$NODE/kube-proxy.yaml $KUBE/kube-proxy.kubeconfig" "$(readlink "$KUBE/bin/kube-proxy")" "${kube_proxy_args[@]}"
proxy_healthy() { curl -sf --max-time 5 http://127.0.0.1:10256/healthz >/dev/null 2>&1; }
wait_for kube-proxy 120 proxy_healthy

# The image's content key in the pod template: a rebuilt image under the same tag rolls out.
sed -e "s|@COREDNS_IMAGE@|${IMAGES[coredns]}|" -e "s|@COREDNS_IMAGE_KEY@|${IMAGE_KEYS[coredns]}|" "$COREDNS_MANIFEST" |
  "${KUBECTL[@]}" apply --server-side --force-conflicts --field-manager sp-kube-node -f - >>"$NODE/apply.log" 2>&1 ||
  die "applying CoreDNS failed; see $NODE/apply.log"
"${KUBECTL[@]}" -n kube-system rollout status deployment/coredns --timeout=180s >>"$NODE/apply.log" 2>&1 ||
  die "CoreDNS is not ready after 180 s; see $NODE/apply.log and '${KUBECTL[*]} -n kube-system describe pods'"

umask 077
{
  echo "SP_KUBE_NODE=$NODE_NAME"
  echo "SP_KUBE_NODE_IP=$NODE_IP"
  echo "SP_KUBE_POD_CIDR=$POD_CIDR"
  echo "SP_KUBE_SERVICE_CIDR=$SERVICE_CIDR"
  echo "SP_KUBE_DNS_IP=$DNS_IP"
  echo "SP_CRICTL=$NODE/bin/crictl"
  echo "SP_CONTAINERD_ADDRESS=$NODE/run/containerd.sock"
  for name in "${!IMAGES[@]}"; do
    echo "SP_IMAGE_$(echo "$name" | tr 'a-z-' 'A-Z_')=${IMAGES[$name]}"
  done | sort
} >"$STATE/node.env.tmp"
mv "$STATE/node.env.tmp" "$STATE/node.env"
echo "kube-node: node $NODE_NAME Ready at $NODE_IP (containerd $CONTAINERD_VERSION, runc $RUNC_VERSION, kube-proxy nftables, CoreDNS $COREDNS_VERSION at $DNS_IP); images: ${IMAGES[*]}; settings in $STATE/node.env"
