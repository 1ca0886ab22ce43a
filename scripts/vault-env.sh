#!/usr/bin/env bash
# Builds the Vault server test/integration/vault/live runs against, from HashiCorp's source as
# the Go module proxy serves it (no Vault binary is downloadable here). The go command checks
# every module against the Go checksum database. Idempotent: an existing binary of the right
# version is kept. Takes several minutes and ~3 GB of Go build cache the first time.
#
# The module zip of github.com/hashicorp/vault leaves out its nested modules (api, sdk, the api
# auth helpers), which the release's go.mod replaces with in-tree copies; the build drops those
# replaces and uses the tagged api and sdk versions that go.mod requires, with no other change.
# Vault v1.21.1 (api v1.22.0, sdk v0.20.0, api/auth/approle and userpass v0.1.0, api/auth/
# kubernetes v0.10.0; all served) is the newest 1.21 release that builds that way (checked
# 2026-12-01). v1.21.2 to v1.21.4 (the newest served; Vault 2.x is not served) were built with
# the in-tree sdk of their release branch, which no served sdk tag matches: v1.21.2 requires
# sdk v0.20.0 but calls framework.Backend.TryRecordObservationWithRequest, which v0.20.0 lacks;
# v1.21.3 and v1.21.4 require sdk v0.21.0 (tagged on the development line), whose framework.Backend.
# ActivationFunc takes a third argument the 1.21 server code does not pass, and the later sdk
# tags (v0.23.0, v0.25.1) keep that signature; v1.21.4's transit backend also expects
# keysutil.LockManager.RestorePolicy to return (string, error), which only v0.25.1 does. With
# the ActivationFunc calls adapted by hand, v1.21.4 on sdk v0.21.0 still stops at that one.
# Building any of them would mean editing Vault's source, so the tests would not run a release
# HashiCorp published.
#
# Keep VAULT_VERSION equal to VAULT_IMAGE.tag in components/vault/helmValues.ts: the live
# suite checks that the server it tests is the version the chart deploys.
#
# VAULT_PREVIOUS_VERSION is the release the pods suite upgrades from (test/engine/vault-pods.
# test.ts, `npm run vault:rollout`). It is Vault's own source at that tag, built the same way,
# with one difference said here and in docs/contributing.md: every module that is not
# HashiCorp's is raised to the version VAULT_VERSION requires (golang.org/x/sys and friends,
# go-jose, jose2go). v1.21.0 and v1.21.1 differ in golang.org/x/sys, on which nearly every
# package depends, so with the release's own third-party versions the second build compiles
# everything again (a cold Vault build is about 37 min here); with them aligned, Go's build
# cache serves every third-party package and only Vault's changed packages compile. HashiCorp's
# modules (the api, sdk and the built-in plugins, e.g. vault-plugin-auth-kubernetes v0.23.0)
# stay at the release's versions, and the binary reports v1.21.0.
set -euo pipefail
cd "$(dirname "$0")/.."
STATE=.integration
VAULT_VERSION=v1.21.1
VAULT_PREVIOUS_VERSION=v1.21.0
BIN="$PWD/$STATE/bin/vault"
PREVIOUS_BIN="$PWD/$STATE/bin/vault-previous"
mkdir -p "$STATE/bin"
# One build at a time: .ci/run starts one early in the background, integration-env.sh waits here.
exec 9>"$STATE/vault-build.lock"
flock 9

# Built outside the repository, so no linter or scanner ever walks Vault's sources.
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

module_dir() {
  go mod download -json "github.com/hashicorp/vault@$1" | python3 -c 'import json, sys; print(json.load(sys.stdin)["Dir"])'
}

# build <version> <binary> [<version whose third-party requirements to take>]
build() {
  local version=$1 bin=$2 align=${3:-} src="$work/vault-src-$1"
  # 0755, not what go build leaves: served from Go's build cache it writes the binary 0700, and
  # the node's Vault image keeps file modes and runs Vault as the image's user (100): `exec
  # vault: Permission denied` in every pod. The chmod also mends a binary an earlier build left 0700.
  if [ -x "$bin" ] && "$bin" version | grep -q "^Vault $version,"; then
    chmod 0755 "$bin"
    echo "vault: $("$bin" version)"
    return 0
  fi
  cp -r "$(module_dir "$version")" "$src"
  chmod -R u+w "$src"
  (
    cd "$src"
    for nested in api api/auth/approle api/auth/kubernetes api/auth/userpass sdk; do
      go mod edit -dropreplace="github.com/hashicorp/vault/$nested"
    done
    if [ -n "$align" ]; then
      # Every requirement of <align> that is not HashiCorp's and differs from this release's.
      go mod edit -json "$(module_dir "$align")/go.mod" | python3 -c '
import json, subprocess, sys
mine = {r["Path"]: r["Version"] for r in json.loads(subprocess.check_output(["go", "mod", "edit", "-json"]))["Require"]}
for r in json.load(sys.stdin)["Require"]:
    if not r["Path"].startswith("github.com/hashicorp/") and mine.get(r["Path"]) not in (None, r["Version"]):
        print("-require=%s@%s" % (r["Path"], r["Version"]))
' | xargs -r go mod edit
    fi
    go build -mod=mod -trimpath -ldflags "-s -w" -o "$bin.new" .
  )
  rm -rf "$src"
  # Renamed into place: Vault servers started from the previous binary keep running it.
  chmod 0755 "$bin.new"
  mv -f "$bin.new" "$bin"
  echo "vault: $("$bin" version)"
}

build "$VAULT_VERSION" "$BIN"
SECONDS=0
build "$VAULT_PREVIOUS_VERSION" "$PREVIOUS_BIN" "$VAULT_VERSION"
echo "vault: the previous release in ${SECONDS}s"
