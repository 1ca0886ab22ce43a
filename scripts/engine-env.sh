#!/usr/bin/env bash
# Builds the real Pulumi engine the engine suites run, from sources only (no Pulumi binary is
# downloadable here; see ../shared/NOTES.md, "The real Pulumi engine"):
#   - the Pulumi CLI (github.com/pulumi/pulumi/pkg/v3, from the Go module proxy),
#   - the Node language host (../shared/tools/pulumi-language-nodejs-*),
#   - the random and vault resource providers (../shared/providers/),
#   - the kubernetes resource provider (from the Go module proxy),
#   - the YAML language host (from the Go module proxy) and the Python language host (from a
#     pulumi/pulumi checkout, SP_PULUMI_SOURCE), for programs that consume the library's Pulumi
#     component package (library/PulumiPlugin.yaml) from YAML and Python.
# Each binary is cached by name, version and source checksum under
# ${XDG_CACHE_HOME:-~/.cache}/secrets-platform/engine, so a clean clone costs seconds once the
# cache is warm. The providers are installed into a project-local PULUMI_HOME
# (.integration/pulumi-home) with automatic plugin downloads off, and the settings a shell
# needs go to .integration/engine.env (integration-env.sh folds them into .integration/env).
#
# Sources kept in ../shared are checked against the tree checksums below; modules from the Go
# proxy are checked by the go command against the Go checksum database. A failed step names
# itself and its log (.integration/logs/engine-<step>.log) and installs nothing.
#
# The npm SDKs @pulumi/vault, @pulumi/random and @pulumi/kubernetes must be exactly the
# versions built here (an SDK asks the engine for the plugin version it was released with);
# test/engine checks that package.json agrees with these pins.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
STATE=$ROOT/.integration
SHARED=${SP_SHARED_DIR:-$ROOT/../shared}
CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/secrets-platform/engine"
LOGS=$STATE/logs
STUBS=$ROOT/scripts/engine/stubs

PULUMI_VERSION=3.274.1
NODEJS_HOST_VERSION=3.248.0 # matches @pulumi/pulumi in package.json
RANDOM_VERSION=4.21.1
VAULT_PROVIDER_VERSION=7.8.0
TF_VAULT_VERSION=5.8.0 # the upstream pulumi-vault 7.8.0 bridges
KUBERNETES_VERSION=4.25.0
# pulumi-language-yaml v1.25.0 (the newest the proxy serves) links pulumi sdk v3.206.0, whose
# plugin loader passes -root= to language hosts; the Node host 3.248.0 refuses that flag, so a
# YAML program could not run a Node component package. Rebuilt against pkg/sdk v3.215.0 (the
# first release without it; v3.259.0 no longer compiles with this YAML host).
YAML_HOST_VERSION=1.25.0
YAML_HOST_SDK_VERSION=3.215.0
# The Python host is not served by the Go proxy: it is built from tag v3.259.0 of a pulumi/pulumi
# git directory (the search tool's `fetch` brings one; SP_PULUMI_SOURCE names it), against
# pkg/sdk v3.259.0 from the proxy. The Python SDK `pulumi` (PyPI) must be this version too.
PYTHON_HOST_VERSION=3.259.0
PYTHON_HOST_COMMIT=0ac56e876614aedf12771d73ef7e80959b8a6fd4 # tag v3.259.0
PULUMI_SOURCE=${SP_PULUMI_SOURCE:-/work/.mirror/pulumi+pulumi/repo}
# The proxy serves the kubernetes provider module only as this pseudo-version: tag v4.25.0.
KUBERNETES_MODULE_VERSION=v4.0.0-20260115033456-f47bc2d6f199
# sha256 over `sha256sum` of every file, sorted by path (tree_sum, scripts/lib/cached-build.sh).
declare -A SOURCE_SUMS=(
  [tools/pulumi-language-nodejs-$NODEJS_HOST_VERSION]=cf9977a5ccdf57205928fedb307b98df5395f8cd875f0140c9f64edee55f9ac0
  [providers/pulumi-random-$RANDOM_VERSION]=d149954c2aa25cc10bb88d8db6dc525a834100fa3431745d921f9875cfc259ca
  [providers/pulumi-vault-$VAULT_PROVIDER_VERSION]=08ca78dfe50497c58696a91d792ca354b148411eac9d521c688ee3b0617d858e
  [providers/terraform-provider-vault-$TF_VAULT_VERSION]=41387647d200ada538dfae068987e10617cef0795e06858f2744371ab5c4970d
)
# Bump when a recipe below changes what it builds: every cached binary is rebuilt.
RECIPE=1
TAG=engine
# tree_sum, module_dir, writable_copy, cached (the build cache, shared with kube-env.sh).
# shellcheck source-path=SCRIPTDIR source=lib/cached-build.sh
. "$ROOT/scripts/lib/cached-build.sh"

mkdir -p "$STATE" "$LOGS" "$CACHE"
# One set-up at a time: .ci/run starts one in the background, integration-env.sh waits here.
exec 8>"$STATE/engine-build.lock"
flock 8

export GOFLAGS="-mod=mod -buildvcs=false"
export GOWORK=off
command -v go >/dev/null || { echo "engine-env: Go is not installed (Go 1.26 or later builds the engine)" >&2; exit 1; }
command -v node >/dev/null || { echo "engine-env: Node.js is not installed" >&2; exit 1; }
[ -d "$ROOT/node_modules/@pulumi/pulumi" ] || { echo "engine-env: run 'npm ci --ignore-scripts' first (the language host uses node_modules/@pulumi/pulumi)" >&2; exit 1; }

# shared_source <relative dir>: the directory, after checking its pinned checksum.
shared_source() {
  local dir="$SHARED/$1" want="${SOURCE_SUMS[$1]}" got
  [ -d "$dir" ] || { echo "engine-env: source $dir is missing (../shared must sit beside the checkout)" >&2; exit 1; }
  got="$(tree_sum "$dir")"
  [ "$got" = "$want" ] || { echo "engine-env: checksum mismatch for $dir: expected $want, got $got" >&2; exit 1; }
  echo "$dir"
}

# minify <schema.json> <out>: the //go:embed'ded schema, generated in upstream builds.
minify() { python3 -c 'import json, sys; json.dump(json.load(open(sys.argv[1])), open(sys.argv[2], "w"), separators=(",", ":"))' "$1" "$2"; }

# stub_codegen: the bridge's C#/YAML program generators, never called by a running provider,
# are not served at the required versions; scripts/engine/stubs declares what it references.
stub_codegen() {
  go mod edit -replace "github.com/pulumi/pulumi-dotnet/pulumi-language-dotnet/v3=$1/pulumi-language-dotnet" \
    -replace "github.com/pulumi/pulumi-yaml=$1/pulumi-yaml"
}

build_cli() { # <work> <out>
  writable_copy "$(module_dir "github.com/pulumi/pulumi/pkg/v3@v$PULUMI_VERSION")" "$1/pkg"
  cd "$1/pkg"
  go mod edit -dropreplace github.com/pulumi/pulumi/sdk/v3
  go mod tidy
  go build -trimpath -ldflags "-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$PULUMI_VERSION" -o "$2" ./cmd/pulumi
}

build_nodejs_host() {
  writable_copy "$(shared_source "tools/pulumi-language-nodejs-$NODEJS_HOST_VERSION")" "$1/host"
  cd "$1/host"
  go mod edit -dropreplace github.com/pulumi/pulumi/pkg/v3 -dropreplace github.com/pulumi/pulumi/sdk/v3 \
    -require "github.com/pulumi/pulumi/pkg/v3@v$NODEJS_HOST_VERSION" -require "github.com/pulumi/pulumi/sdk/v3@v$NODEJS_HOST_VERSION"
  go mod tidy
  go build -trimpath -ldflags "-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$NODEJS_HOST_VERSION" -o "$2" .
}

build_random() {
  writable_copy "$(shared_source "providers/pulumi-random-$RANDOM_VERSION")/provider" "$1/provider"
  writable_copy "$STUBS" "$1/stubs"
  cd "$1/provider"
  minify cmd/pulumi-resource-random/schema.json cmd/pulumi-resource-random/schema-embed.json
  stub_codegen "$1/stubs"
  go mod tidy
  go build -trimpath -ldflags "-s -w -X github.com/pulumi/pulumi-random/provider/v4/pkg/version.Version=$RANDOM_VERSION" -o "$2" ./cmd/pulumi-resource-random
}

build_vault() {
  writable_copy "$(shared_source "providers/pulumi-vault-$VAULT_PROVIDER_VERSION")/provider" "$1/provider"
  # provider/go.mod replaces the Terraform provider with ../upstream.
  writable_copy "$(shared_source "providers/terraform-provider-vault-$TF_VAULT_VERSION")" "$1/upstream"
  writable_copy "$STUBS" "$1/stubs"
  cd "$1/provider"
  # Bridge v3.125.0 is not served; v3.135.0 is. pulumi-java/pkg v1.21.3 no longer compiles
  # against pulumi pkg v3.253, and the package moved to the root module in pulumi-java v1.32.0.
  go mod edit -require github.com/pulumi/pulumi-terraform-bridge/v3@v3.135.0 \
    -droprequire github.com/pulumi/pulumi-java/pkg -require github.com/pulumi/pulumi-java@v1.32.0
  stub_codegen "$1/stubs"
  go mod tidy
  local version="-X github.com/pulumi/pulumi-vault/provider/v7/pkg/version.Version=$VAULT_PROVIDER_VERSION"
  # schema.json is generated in upstream builds: generate it with the provider's own tfgen.
  go build -trimpath -ldflags "$version" -o "$1/tfgen" ./cmd/pulumi-tfgen-vault
  "$1/tfgen" schema --out cmd/pulumi-resource-vault
  minify cmd/pulumi-resource-vault/schema.json cmd/pulumi-resource-vault/schema-embed.json
  go build -trimpath -ldflags "-s -w $version" -o "$2" ./cmd/pulumi-resource-vault
}

build_kubernetes() {
  writable_copy "$(module_dir "github.com/pulumi/pulumi-kubernetes/provider/v4@$KUBERNETES_MODULE_VERSION")" "$1/provider"
  cd "$1/provider"
  go mod edit -dropreplace github.com/pulumi/pulumi-kubernetes/sdk/v4
  local cmd=cmd/pulumi-resource-kubernetes
  minify "$cmd/schema.json" "$cmd/schema-embed.json"
  cp "$cmd/terraform-mapping.json" "$cmd/terraform-mapping-embed.json"
  go mod tidy
  go build -trimpath -ldflags "-s -w -X github.com/pulumi/pulumi-kubernetes/provider/v4/pkg/version.Version=$KUBERNETES_VERSION" -o "$2" "./$cmd"
}

build_yaml_host() {
  writable_copy "$(module_dir "github.com/pulumi/pulumi-yaml@v$YAML_HOST_VERSION")" "$1/yaml"
  cd "$1/yaml"
  go mod edit -require "github.com/pulumi/pulumi/pkg/v3@v$YAML_HOST_SDK_VERSION" \
    -require "github.com/pulumi/pulumi/sdk/v3@v$YAML_HOST_SDK_VERSION"
  go mod tidy
  go build -trimpath -ldflags "-s -w -X github.com/pulumi/pulumi-yaml/pkg/version.Version=v$YAML_HOST_VERSION" -o "$2" ./cmd/pulumi-language-yaml
}

# The host, and beside it the shim it runs Python programs with (pulumi-language-python-exec).
build_python_host() {
  mkdir -p "$1/src"
  git --git-dir="$PULUMI_SOURCE" archive "$PYTHON_HOST_COMMIT" sdk/python/cmd | tar -x -C "$1/src"
  cd "$1/src/sdk/python/cmd/pulumi-language-python"
  go mod edit -dropreplace github.com/pulumi/pulumi/pkg/v3 -dropreplace github.com/pulumi/pulumi/sdk/v3 \
    -require "github.com/pulumi/pulumi/pkg/v3@v$PYTHON_HOST_VERSION" -require "github.com/pulumi/pulumi/sdk/v3@v$PYTHON_HOST_VERSION"
  go mod tidy
  go build -trimpath -ldflags "-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$PYTHON_HOST_VERSION" -o "$2" .
}
build_python_exec() {
  git --git-dir="$PULUMI_SOURCE" show "$PYTHON_HOST_COMMIT:sdk/python/cmd/pulumi-language-python-exec" >"$2"
  chmod +x "$2"
}

shared_key() { tree_sum "$(shared_source "$1")"; }

# Every source from ../shared is checked before anything is built.
for source in "tools/pulumi-language-nodejs-$NODEJS_HOST_VERSION" "providers/pulumi-random-$RANDOM_VERSION" \
  "providers/pulumi-vault-$VAULT_PROVIDER_VERSION" "providers/terraform-provider-vault-$TF_VAULT_VERSION"; do
  shared_source "$source" >/dev/null
done

cli="$(cached cli pulumi "$PULUMI_VERSION" "module:$PULUMI_VERSION" build_cli)"
host="$(cached nodejs-host pulumi-language-nodejs "$NODEJS_HOST_VERSION" "$(shared_key "tools/pulumi-language-nodejs-$NODEJS_HOST_VERSION")" build_nodejs_host)"
vault="$(cached vault pulumi-resource-vault "$VAULT_PROVIDER_VERSION" \
  "$(shared_key "providers/pulumi-vault-$VAULT_PROVIDER_VERSION"):$(shared_key "providers/terraform-provider-vault-$TF_VAULT_VERSION"):$(tree_sum "$STUBS")" build_vault)"
random="$(cached random pulumi-resource-random "$RANDOM_VERSION" \
  "$(shared_key "providers/pulumi-random-$RANDOM_VERSION"):$(tree_sum "$STUBS")" build_random)"
yaml_host="$(cached yaml-host pulumi-language-yaml "$YAML_HOST_VERSION" "module:$YAML_HOST_VERSION:sdk:$YAML_HOST_SDK_VERSION" build_yaml_host)"
kubernetes="$(cached kubernetes pulumi-resource-kubernetes "$KUBERNETES_VERSION" "module:$KUBERNETES_MODULE_VERSION" build_kubernetes)"

# The CLI and language host on PATH through one project-local directory.
BIN=$STATE/engine/bin
mkdir -p "$BIN"
ln -sfn "$cli" "$BIN/pulumi"
ln -sfn "$host" "$BIN/pulumi-language-nodejs"
ln -sfn "$yaml_host" "$BIN/pulumi-language-yaml"
# Built from the source when it is here, or taken from the cache when an earlier run built it
# (a machine whose cache is warm needs no pulumi/pulumi checkout).
if git --git-dir="$PULUMI_SOURCE" cat-file -e "$PYTHON_HOST_COMMIT^{commit}" 2>/dev/null ||
  { [ -x "$(cache_path pulumi-language-python "$PYTHON_HOST_VERSION" "git:$PYTHON_HOST_COMMIT")" ] &&
    [ -x "$(cache_path pulumi-language-python-exec "$PYTHON_HOST_VERSION" "git:$PYTHON_HOST_COMMIT")" ]; }; then
  python_host="$(cached python-host pulumi-language-python "$PYTHON_HOST_VERSION" "git:$PYTHON_HOST_COMMIT" build_python_host)"
  python_exec="$(cached python-exec pulumi-language-python-exec "$PYTHON_HOST_VERSION" "git:$PYTHON_HOST_COMMIT" build_python_exec)"
  # The host runs the shim from its own (symlink-resolved) directory.
  ln -sfn "$python_exec" "$(dirname "$python_host")/pulumi-language-python-exec"
  ln -sfn "$python_host" "$BIN/pulumi-language-python"
  ln -sfn "$python_exec" "$BIN/pulumi-language-python-exec"
else
  echo "engine-env: no pulumi/pulumi v$PYTHON_HOST_VERSION source at $PULUMI_SOURCE (set SP_PULUMI_SOURCE to a git directory holding commit $PYTHON_HOST_COMMIT): the Python language host is not built" >&2
fi

export PULUMI_HOME=$STATE/pulumi-home
export PULUMI_SKIP_UPDATE_CHECK=1 PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true
mkdir -p "$PULUMI_HOME"
install_plugin() { # <name> <version> <binary>
  local log="$LOGS/engine-install-$1.log"
  [ -x "$PULUMI_HOME/plugins/resource-$1-v$2/pulumi-resource-$1" ] &&
    cmp -s "$3" "$PULUMI_HOME/plugins/resource-$1-v$2/pulumi-resource-$1" && return 0
  if ! "$cli" plugin install resource "$1" "$2" --file "$3" --reinstall >"$log" 2>&1; then
    "$cli" plugin rm resource "$1" "$2" --yes >>"$log" 2>&1 || true
    echo "engine-env: step 'install $1 $2' failed; see $log" >&2
    exit 1
  fi
}
install_plugin vault "$VAULT_PROVIDER_VERSION" "$vault"
install_plugin random "$RANDOM_VERSION" "$random"
install_plugin kubernetes "$KUBERNETES_VERSION" "$kubernetes"

# A passphrase for the file backends the suites create (their stacks hold only test secrets).
passphrase="$(sed -n 's/^PULUMI_CONFIG_PASSPHRASE=//p' "$STATE/engine.env" 2>/dev/null || true)"
[ -n "$passphrase" ] || passphrase="$(openssl rand -hex 24)"
ENGINE_PATH="$BIN:$ROOT/node_modules/@pulumi/pulumi"
umask 077
cat >"$STATE/engine.env" <<ENV
SP_PULUMI=$BIN/pulumi
SP_ENGINE_PATH=$ENGINE_PATH
PULUMI_HOME=$PULUMI_HOME
PULUMI_SKIP_UPDATE_CHECK=1
PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true
PULUMI_CONFIG_PASSPHRASE=$passphrase
PATH=$ENGINE_PATH:\$PATH
ENV
echo "engine: $("$cli" version) (hosts: nodejs $NODEJS_HOST_VERSION, yaml $YAML_HOST_VERSION with sdk $YAML_HOST_SDK_VERSION, python $PYTHON_HOST_VERSION; vault $VAULT_PROVIDER_VERSION, random $RANDOM_VERSION, kubernetes $KUBERNETES_VERSION; settings in $STATE/engine.env)"
