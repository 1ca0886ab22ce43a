#!/usr/bin/env bash
# The External Secrets Operator controller the engine tests run (test/engine/eso.ts), built from
# source (no ESO binary or image is downloadable here; see ../shared/NOTES.md, the ESO paragraph):
# github.com/external-secrets/external-secrets at v0.16.2, the newest version the Go module proxy
# serves, `go build .` at the module's root (its `main` is the `external-secrets` command whose
# default sub-command is the controller). The module's go.mod replaces
# github.com/Masterminds/sprig/v3 with the fork github.com/external-secrets/sprig/v3 v3.3.0, which
# the proxy serves: it is built as released, nothing edited. The go command checks every module
# against the Go checksum database.
#
# The binary is cached by version and recipe under ${XDG_CACHE_HOME:-~/.cache}/secrets-platform/eso;
# a cold build takes minutes and ~3 GB of memory, a warm run a fraction of a second. A failed step
# names itself and its log (.integration/logs/eso-controller.log) and installs nothing.
# Writes .integration/eso.env (SP_ESO_CONTROLLER, the binary; SP_ESO_VERSION), which
# integration-env.sh folds into .integration/env.
#
# It starts nothing: the controller needs the ESO CustomResourceDefinitions on the API server of
# scripts/kube-env.sh, which the platform's `pulumi up` (or a test) installs, so the tests start
# it themselves, out of cluster (there is no kubelet to run its pod), with startEsoController.
#
# The platform's chart is external-secrets 2.9.0; its CRDs (../shared/charts/eso-crds-2.9.0)
# serve every API this controller uses (external-secrets.io/v1, PushSecret and ClusterPushSecret
# v1alpha1, generators.external-secrets.io/v1alpha1 with GeneratorState and VaultDynamicSecret),
# so no reconciler has to be turned off for them.
#
#   bash scripts/eso-env.sh    build or reuse the controller, write .integration/eso.env
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
STATE=$ROOT/.integration
LOGS=$STATE/logs
CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/secrets-platform/eso"

ESO_VERSION=0.16.2
ESO_MODULE=github.com/external-secrets/external-secrets
# Bump when the recipe below changes what it builds: the cached binary is rebuilt.
RECIPE=1
TAG=eso
# cached, module_dir, writable_copy, die (the build cache, shared with engine-env.sh, kube-env.sh).
# shellcheck source-path=SCRIPTDIR source=lib/cached-build.sh
. "$ROOT/scripts/lib/cached-build.sh"

[ "$#" -eq 0 ] || die "unknown argument '$1' (usage: eso-env.sh)"

export GOFLAGS="-mod=mod -buildvcs=false"
export GOWORK=off
command -v go >/dev/null || die "Go is not installed (Go 1.24 or later builds the ESO controller)"
command -v python3 >/dev/null || die "python3 is not installed"

mkdir -p "$STATE" "$LOGS" "$CACHE"
# One build at a time: .ci/run starts one in the background, integration-env.sh waits here.
exec 6>"$STATE/eso-build.lock"
flock 6

build_controller() { # <work> <out>
  writable_copy "$(module_dir "$ESO_MODULE@v$ESO_VERSION")" "$1/src"
  cd "$1/src"
  # The fork the module's own replace names must be the one the proxy serves (its go.sum pins it).
  go mod edit -json | python3 -c '
import json, sys
repl = {r["Old"]["Path"]: r["New"] for r in json.load(sys.stdin).get("Replace") or []}
new = repl.get("github.com/Masterminds/sprig/v3")
assert new == {"Path": "github.com/external-secrets/sprig/v3", "Version": "v3.3.0"}, new
'
  go build -trimpath -ldflags "-s -w" -o "$2" .
  # The flags test/engine/eso.ts passes must exist in what was built.
  local flag help
  help="$("$2" --help)"
  for flag in --metrics-addr --enable-leader-election --enable-push-secret-reconciler \
    --enable-cluster-push-secret-reconciler --enable-cluster-external-secret-reconciler \
    --enable-cluster-store-reconciler --namespace --loglevel; do
    grep -q -- "$flag" <<<"$help"
  done
}

controller="$(cached controller external-secrets "$ESO_VERSION" "module:$ESO_MODULE@v$ESO_VERSION" build_controller)"

umask 077
cat >"$STATE/eso.env.tmp" <<ENV
SP_ESO_CONTROLLER=$controller
SP_ESO_VERSION=$ESO_VERSION
ENV
mv "$STATE/eso.env.tmp" "$STATE/eso.env"
echo "eso: external-secrets controller v$ESO_VERSION at $controller (settings in $STATE/eso.env; started by the tests, not here)"
