# Sourced by .ci/run: apt-get that waits for another apt or dpkg process instead of failing.
# DPkg::Lock::Timeout makes apt-get wait for the dpkg locks (apt >= 1.9.11); `apt-get update`
# also takes /var/lib/apt/lists/lock, which that option does not cover on every apt version,
# so update is retried while the lock is held, for the same time at most.
APT_WAIT="${APT_WAIT:-600}"          # seconds to wait for another apt process
APT_RETRY_SLEEP="${APT_RETRY_SLEEP:-5}"

apt_install() {
  apt-get -o DPkg::Lock::Timeout="$APT_WAIT" install -y -qq "$@"
}

apt_update() {
  local waited=0 out
  while :; do
    if out=$(apt-get -o DPkg::Lock::Timeout="$APT_WAIT" update -qq 2>&1); then
      return 0
    fi
    case "$out" in
      *"Could not get lock"*|*"Unable to lock"*) ;;
      *) printf '%s\n' "$out" >&2; return 1 ;;
    esac
    if [ "$waited" -ge "$APT_WAIT" ]; then
      printf '%s\n' "$out" >&2; return 1
    fi
    [ "$waited" -eq 0 ] && echo "waiting up to ${APT_WAIT}s for another apt process to release its lock" >&2
    sleep "$APT_RETRY_SLEEP"
    waited=$((waited + APT_RETRY_SLEEP))
  done
}
