#!/usr/bin/env bash
# Installs what test/integration/helm renders the pinned charts with: Helm itself (built by
# `go install` from the Go module proxy; Helm 3.22 needs Go 1.26) and the sources of the
# hashicorp/vault chart and of the external-secrets chart and CRDs, fetched as Go module zips
# (the proxy serves these repositories' tags; Helm chart repositories are not reachable here).
# The zips are checked against the digests below, so a changed tag cannot slip in. Idempotent.
#
# Bumping a chart pin (components/vault/cluster.ts, components/eso/versions.ts) means bumping
# the matching tag and digest here, then `npm run test:integration`.
set -euo pipefail
cd "$(dirname "$0")/.."
STATE=.integration
PROXY=https://proxy.golang.org
HELM_VERSION=v3.22.0
VAULT_HELM_TAG=v0.31.0 # chart 0.31.0, Vault 1.20.4
VAULT_HELM_SHA256=be43c41e86acbb63b726e754081bc6991b832ed27673a1e150782f35a874efe7
ESO_TAG=v1.3.2 # carries chart 1.3.1 and the CRDs of the v1 API
ESO_SHA256=ff62f532fe5bbce8e749b41b46294ed6dddff86c9560c200c6304f7ef660e342
mkdir -p "$STATE/bin" "$STATE/charts"

if [ "$("$STATE/bin/helm" version --template '{{.Version}}' 2>/dev/null || true)" != "$HELM_VERSION" ]; then
  GOBIN="$PWD/$STATE/bin" go install "helm.sh/helm/v3/cmd/helm@$HELM_VERSION"
fi

# fetch <module> <tag> <sha256> <dir>: the module zip, verified, unpacked into <dir>.
fetch() {
  local module=$1 tag=$2 sum=$3 dir=$4 zip
  [ -f "$dir/.tag" ] && [ "$(cat "$dir/.tag")" = "$tag" ] && return 0
  zip="$STATE/charts/$(basename "$module")-$tag.zip"
  curl -sSf -m 300 -o "$zip" "$PROXY/$module/@v/$tag.zip"
  echo "$sum  $zip" | sha256sum -c --quiet -
  rm -rf "$dir" && mkdir -p "$dir"
  python3 -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])' "$zip" "$dir"
  rm -f "$zip"
  echo "$tag" >"$dir/.tag"
}

fetch github.com/hashicorp/vault-helm "$VAULT_HELM_TAG" "$VAULT_HELM_SHA256" "$STATE/charts/vault-src"
rm -rf "$STATE/charts/vault"
cp -r "$STATE/charts/vault-src/github.com/hashicorp/vault-helm@$VAULT_HELM_TAG" "$STATE/charts/vault"

fetch github.com/external-secrets/external-secrets "$ESO_TAG" "$ESO_SHA256" "$STATE/charts/eso-src"
ESO_SRC="$STATE/charts/eso-src/github.com/external-secrets/external-secrets@$ESO_TAG"
rm -rf "$STATE/charts/external-secrets" "$STATE/charts/eso-crds"
cp -r "$ESO_SRC/deploy/charts/external-secrets" "$STATE/charts/external-secrets"
cp -r "$ESO_SRC/config/crds/bases" "$STATE/charts/eso-crds"
# The chart's one dependency (bitwarden-sdk-server, from an OCI registry unreachable here) is
# disabled by default and by our values; drop it so `helm template` does not look for it.
python3 - "$STATE/charts/external-secrets/Chart.yaml" <<'PY'
import re, sys
path = sys.argv[1]
text = open(path).read()
text = re.sub(r"^dependencies:\n(?:[ -].*\n)*", "", text, flags=re.M)
open(path, "w").write(text)
PY
rm -f "$STATE/charts/external-secrets/Chart.lock"

echo "charts: helm $HELM_VERSION, vault-helm $VAULT_HELM_TAG, external-secrets $ESO_TAG (in $STATE/charts)"
