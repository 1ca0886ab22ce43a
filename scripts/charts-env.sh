#!/usr/bin/env bash
# Installs what test/integration/helm renders the pinned charts with: Helm itself (`go install`
# of its Go module; Helm 3.22 needs Go 1.26) and the sources of the hashicorp/vault,
# external-secrets and reloader charts and of the external-secrets CRDs, from
# ${SP_SHARED_DIR:-../shared}/charts: the team's copy beside the checkout, or the same files
# fetched from the charts' official repositories by scripts/shared-env.sh (as ci.yml does;
# Helm chart repositories are not reachable here). Whichever the source, every file
# scripts/charts.sha256 lists is checked first (a changed or missing file fails, naming it, and
# nothing is copied); only those files are copied into .integration/charts. Idempotent.
#
# Bumping a chart pin (stacks/charts.ts) means bumping the matching folder below and its pin in
# scripts/shared-env.sh, regenerating scripts/charts.sha256 from the new sources, then
# `npm run test:integration`.
set -euo pipefail
cd "$(dirname "$0")/.."
STATE=.integration
SOURCES=${SP_SHARED_DIR:-../shared}/charts
HELM_VERSION=v3.22.0
# <folder in $STATE/charts, where test/integration/helm reads it>=<folder in $SOURCES>
declare -A CHARTS=(
  [vault]=vault-0.34.1
  [external-secrets]=external-secrets-2.9.0
  [eso-crds]=eso-crds-2.9.0 # the CRDs the packaged external-secrets 2.9.0 chart ships
  [reloader]=reloader-2.2.16
)
fail() {
  echo "charts-env: $*" >&2
  exit 1
}
# --check-only: verify the sources and stop (nothing installed or copied).
CHECK_ONLY=false
[ "${1:-}" = --check-only ] && CHECK_ONLY=true
mkdir -p "$STATE/bin" "$STATE/charts"

if ! $CHECK_ONLY && [ "$("$STATE/bin/helm" version --template '{{.Version}}' 2>/dev/null || true)" != "$HELM_VERSION" ]; then
  GOBIN="$PWD/$STATE/bin" go install "helm.sh/helm/v3/cmd/helm@$HELM_VERSION"
fi

# Verify the sources against the sums committed here: every listed file present and unchanged.
SUMS=$PWD/scripts/charts.sha256
[ -d "$SOURCES" ] || fail "no $SOURCES (chart sources are expected in \${SP_SHARED_DIR:-../shared}/charts; scripts/shared-env.sh fetches them)"
if ! report=$(cd "$SOURCES" && LC_ALL=C sha256sum -c --quiet "$SUMS" 2>/dev/null); then
  bad=$(printf '%s\n' "$report" | sed -n -e 's/^\(.*\): FAILED open or read$/  \1 (missing)/p' \
    -e 's/^\(.*\): FAILED$/  \1 (changed)/p')
  fail "files in $SOURCES do not match scripts/charts.sha256:
${bad:-$report}"
fi
if $CHECK_ONLY; then
  echo "charts: every file scripts/charts.sha256 lists is in $SOURCES, unchanged"
  exit 0
fi

# Copy exactly the files the sums list, so nothing unchecked reaches Helm (the sums leave out
# the READMEs, which Helm does not render).
rm -rf "$STATE/charts/vault-src" "$STATE/charts/eso-src" # the previous script's downloads
rm -f "$STATE/charts/SOURCES"
for name in "${!CHARTS[@]}"; do
  dir=${CHARTS[$name]}
  files=$(sed -nE "s|^[0-9a-f]{64}  \./$dir/||p" "$SUMS")
  [ -n "$files" ] || fail "scripts/charts.sha256 lists no files under $dir/"
  rm -rf "${STATE:?}/charts/$name"
  mkdir -p "$STATE/charts/$name"
  while IFS= read -r file; do
    mkdir -p "$STATE/charts/$name/$(dirname "$file")"
    cp "$SOURCES/$dir/$file" "$STATE/charts/$name/$file"
  done <<<"$files"
  chmod -R u+w "$STATE/charts/$name" # the shared copy is read-only
done

# The external-secrets chart's one dependency (bitwarden-sdk-server, from an OCI registry
# unreachable here) is disabled by default and by our values; drop it from the working copy so
# `helm template` does not look for it.
python3 - "$STATE/charts/external-secrets/Chart.yaml" <<'PY'
import re, sys
path = sys.argv[1]
text = open(path).read()
text = re.sub(r"^dependencies:\n(?:[ -].*\n)*", "", text, flags=re.M)
open(path, "w").write(text)
PY
rm -f "$STATE/charts/external-secrets/Chart.lock"
# The chart's source leaves templates/crds/ empty: ESO's packaging copies the CRDs there (each
# rendered when installCRDs, which our values set). Do the same with the checked CRDs, so the
# working copy installs what the packaged chart installs.
mkdir -p "$STATE/charts/external-secrets/templates/crds"
for crd in "$STATE/charts/eso-crds"/*.yaml; do
  [ "$(basename "$crd")" = kustomization.yaml ] || cp "$crd" "$STATE/charts/external-secrets/templates/crds/"
done

# Which shared folder each copy came from (the CRDs carry no version of their own); written
# last, so an interrupted run leaves no record and the tests ask for this script again.
for name in "${!CHARTS[@]}"; do echo "$name ${CHARTS[$name]}"; done | LC_ALL=C sort >"$STATE/charts/SOURCES"

echo "charts: helm $HELM_VERSION; $(printf '%s ' "${CHARTS[@]}")from $SOURCES, checked against scripts/charts.sha256 (in $STATE/charts)"
