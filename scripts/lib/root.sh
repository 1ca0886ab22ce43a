# The privileges of the cluster's scripts (kube-env.sh, kube-node-env.sh): they run as root, or
# as a user with passwordless sudo (GitHub's hosted runners), and then prefix with $SUDO only
# the commands that need root (nftables, the bridge and network namespaces, mounts, containerd,
# the kubelet, kube-proxy), as integration-env.sh does. Source after cached-build.sh (die).
# shellcheck shell=bash

# need_root <what needs it>: sets SUDO to "" as root, to "sudo" when sudo works without a
# password; otherwise fails naming <what needs it>.
need_root() {
  SUDO=""
  [ "$(id -u)" -eq 0 ] && return 0
  if ! command -v sudo >/dev/null || ! sudo -n true 2>/dev/null; then
    die "$1 needs root: run as root, or as a user with passwordless sudo ('sudo -n true' failed)"
  fi
  # shellcheck disable=SC2034 # read by the script that sources this file
  SUDO=sudo
}

# alive <pid>: whether the process exists, whoever owns it (`kill -0` fails with EPERM on a
# process of root's when run as a user).
alive() { [ -d "/proc/$1" ]; }
