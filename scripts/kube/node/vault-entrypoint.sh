#!/bin/sh
# The Vault image's entrypoint (scripts/kube-node-env.sh builds the image): the vault chart runs
# `/bin/sh -ec '... /usr/local/bin/docker-entrypoint.sh vault server -config=...'`. Written here,
# not HashiCorp's script: it only puts `vault` in front of arguments that are a Vault command or
# flags, then runs them. No setcap, no user switch: the chart's pods run as user 100 already.
set -e
case "${1:-}" in
  -* | server | version | operator | status) set -- vault "$@" ;;
esac
exec "$@"
