#!/bin/sh
# LinkMesh agent installer. Served by the relay at /install.sh with the relay's own URL filled in:
#   curl -fsSL https://RELAY/install.sh | sudo sh -s -- --token TOKEN
#
# Options (environment equivalents in brackets):
#   --token TOKEN         enrollment token minted in the LinkMesh UI [LINKMESH_TOKEN]; needed on first install
#   --server URL          the relay [LINKMESH_SERVER]; default: the relay that served this script
#   --collector TYPE      alloy | otelcol-contrib | auto (default) [LINKMESH_COLLECTOR]
#   --dry-run             print every step, change nothing [LINKMESH_DRY_RUN=1]
#   --uninstall           remove what this script added [LINKMESH_UNINSTALL=1]
#   --yes                 do not ask for confirmation [LINKMESH_YES=1]
# For sandboxes and tests only: LINKMESH_INSTALL_ROOT prefixes every path, SYSTEMCTL replaces systemctl.
#
# Exit codes: 0 done, 2 usage, 3 not root, 4 unsupported OS or architecture, 5 no systemd, 6 no collector found
# (or both), 7 relay unreachable, 8 download failed, 9 checksum mismatch, 10 enrollment refused, 11 service did not
# start, 12 cancelled, 13 a file or user change failed.
#
# The whole body is in main(), called on the last line: a truncated download defines functions and runs nothing.

set -eu

# Rewritten by the relay when it serves this file (relay/install).
DEFAULT_SERVER='@LINKMESH_PUBLIC_URL@'

EXIT_USAGE=2
EXIT_NOT_ROOT=3
EXIT_UNSUPPORTED=4
EXIT_NO_SYSTEMD=5
EXIT_NO_COLLECTOR=6
EXIT_UNREACHABLE=7
EXIT_DOWNLOAD=8
EXIT_CHECKSUM=9
EXIT_ENROLL=10
EXIT_SERVICE=11
EXIT_CANCELLED=12
EXIT_FILES=13

UNIT=linkmesh-agent.service
USER_NAME=linkmesh

# --- output --------------------------------------------------------------------------------------------------

STEP=0
STEP_NAME="starting"
REPORTED=0
CHANGED=0

say() { printf '%s\n' "$*"; }
detail() { printf '      %s\n' "$*"; }

step() {
  STEP=$((STEP + 1))
  STEP_NAME=$1
  printf '[%d] %s\n' "$STEP" "$1"
}

# die CODE MESSAGE: the message says what to do; the report says how far we got.
die() {
  code=$1
  shift
  printf '\nlinkmesh-install: error (exit %s): %s\n' "$code" "$*" >&2
  report_failure "$code"
  exit "$code"
}

report_failure() {
  REPORTED=1
  printf 'Stopped at step %s (%s).\n' "$STEP" "$STEP_NAME" >&2
  if [ "$CHANGED" = 0 ]; then
    printf 'Nothing on this host was changed.\n' >&2
  else
    printf 'Run the same command again once fixed: the installer picks up where it stopped.\n' >&2
  fi
  if [ -x "$(p /opt/linkmesh-agent/bin/linkmesh-agent)" ]; then
    printf 'For a diagnosis of this host run: sudo linkmesh-agent doctor\n' >&2
  else
    printf 'After installing, sudo linkmesh-agent doctor diagnoses this host.\n' >&2
  fi
}

on_exit() {
  status=$?
  [ -n "${WORK_DIR:-}" ] && rm -rf "$WORK_DIR"
  if [ "$status" != 0 ] && [ "$REPORTED" = 0 ]; then
    printf '\nlinkmesh-install: failed unexpectedly (exit %s).\n' "$status" >&2
    report_failure "$status"
  fi
}

# --- paths and changes (every change goes through change(), so --dry-run can print it instead) ----------------

# p PATH: the path under LINKMESH_INSTALL_ROOT.
p() { printf '%s%s' "$ROOT" "$1"; }

change() {
  if [ "$DRY_RUN" = 1 ]; then
    detail "would run: $*"
    return 0
  fi
  CHANGED=1
  "$@" || die "$EXIT_FILES" "\"$*\" failed; check the disk space and permissions and run again"
}

have() { command -v "$1" >/dev/null 2>&1; }

# Accounts are looked up in the (possibly prefixed) /etc files, not through NSS, so a sandbox root works too.
account_id() { awk -F: -v name="$2" '$1 == name { print $3 }' "$(p "/etc/$1")" 2>/dev/null || true; }
user_exists() { [ -n "$(account_id passwd "$1")" ]; }
group_exists() { [ -n "$(account_id group "$1")" ]; }

with_prefix() {
  cmd=$1
  shift
  if [ -n "$ROOT" ]; then change "$cmd" --prefix "$ROOT" "$@"; else change "$cmd" "$@"; fi
}

# --- network ---------------------------------------------------------------------------------------------------

# fetch URL FILE: download to FILE ("-" = stdout); fails on HTTP errors.
fetch() {
  if have curl; then
    curl -fsSL --retry 2 --connect-timeout 10 --max-time 600 -o "$2" "$1"
  elif have wget; then
    wget -q -T 30 -O "$2" "$1"
  else
    die "$EXIT_DOWNLOAD" "neither curl nor wget is installed; install one (apt-get install curl) and run again"
  fi
}

sha256_of() {
  if have sha256sum; then
    sha256sum "$1" | cut -d' ' -f1
  elif have shasum; then
    shasum -a 256 "$1" | cut -d' ' -f1
  else
    die "$EXIT_CHECKSUM" "no sha256sum on this host to verify the download; install coreutils and run again"
  fi
}

# --- arguments -------------------------------------------------------------------------------------------------

usage() {
  say "Usage: install.sh --token TOKEN [--server URL] [--collector alloy|otelcol-contrib|auto] [--dry-run] [--yes]"
  say "       install.sh --uninstall [--yes]"
  say "Environment: LINKMESH_TOKEN, LINKMESH_SERVER, LINKMESH_COLLECTOR, LINKMESH_DRY_RUN=1, LINKMESH_UNINSTALL=1,"
  say "LINKMESH_YES=1. Exit codes: 2 usage, 3 not root, 4 unsupported OS/arch, 5 no systemd, 6 no collector,"
  say "7 relay unreachable, 8 download failed, 9 checksum mismatch, 10 enrollment refused, 11 service did not start,"
  say "12 cancelled, 13 a file or user change failed."
}

parse_args() {
  TOKEN=${LINKMESH_TOKEN:-}
  SERVER=${LINKMESH_SERVER:-}
  COLLECTOR=${LINKMESH_COLLECTOR:-auto}
  DRY_RUN=${LINKMESH_DRY_RUN:-0}
  UNINSTALL=${LINKMESH_UNINSTALL:-0}
  YES=${LINKMESH_YES:-0}
  while [ $# -gt 0 ]; do
    case $1 in
      --token) [ $# -ge 2 ] || die "$EXIT_USAGE" "--token needs a value"; TOKEN=$2; shift 2 ;;
      --token=*) TOKEN=${1#*=}; shift ;;
      --server) [ $# -ge 2 ] || die "$EXIT_USAGE" "--server needs a URL"; SERVER=$2; shift 2 ;;
      --server=*) SERVER=${1#*=}; shift ;;
      --collector) [ $# -ge 2 ] || die "$EXIT_USAGE" "--collector needs alloy, otelcol-contrib or auto"; COLLECTOR=$2; shift 2 ;;
      --collector=*) COLLECTOR=${1#*=}; shift ;;
      --dry-run) DRY_RUN=1; shift ;;
      --uninstall) UNINSTALL=1; shift ;;
      --yes | -y) YES=1; shift ;;
      --help | -h) usage; exit 0 ;;
      *) die "$EXIT_USAGE" "unknown option \"$1\"; see --help" ;;
    esac
  done
  case $COLLECTOR in
    alloy | otelcol-contrib | auto) ;;
    *) die "$EXIT_USAGE" "--collector must be alloy, otelcol-contrib or auto; got \"$COLLECTOR\"" ;;
  esac
  if [ -z "$SERVER" ]; then
    case $DEFAULT_SERVER in
      @*) SERVER= ;;
      *) SERVER=$DEFAULT_SERVER ;;
    esac
  fi
  SERVER=${SERVER%/}
  if [ "$UNINSTALL" = 0 ]; then
    case $SERVER in
      http://?* | https://?*) ;;
      "") die "$EXIT_USAGE" "no relay URL: pass --server https://your-relay (or download install.sh from the relay)" ;;
      *) die "$EXIT_USAGE" "--server must start with http:// or https://; got \"$SERVER\"" ;;
    esac
    case $TOKEN in
      *[!A-Za-z0-9_-]*) die "$EXIT_USAGE" "the token has unexpected characters; copy it again from the LinkMesh UI" ;;
    esac
  fi
  ROOT=${LINKMESH_INSTALL_ROOT:-}
  ROOT=${ROOT%/}
  if [ -n "$ROOT" ] && [ -z "${SYSTEMCTL:-}" ]; then
    die "$EXIT_USAGE" "LINKMESH_INSTALL_ROOT is for sandboxes: also set SYSTEMCTL so the host's services are not touched"
  fi
  SYSTEMCTL=${SYSTEMCTL:-systemctl}
}

# --- pre-flight (reads only) -----------------------------------------------------------------------------------

check_root() {
  [ "$(id -u)" = 0 ] && return 0
  if [ "$DRY_RUN" = 1 ]; then
    detail "note: not root; a real run needs sudo"
    return 0
  fi
  die "$EXIT_NOT_ROOT" "run as root: curl -fsSL $SERVER/install.sh | sudo sh -s -- --token TOKEN"
}

check_platform() {
  [ "$(uname -s)" = Linux ] || die "$EXIT_UNSUPPORTED" "LinkMesh's agent runs on Linux only; this is $(uname -s)"
  os_release=$(p /etc/os-release)
  [ -r "$os_release" ] || os_release=$(p /usr/lib/os-release)
  [ -r "$os_release" ] || die "$EXIT_UNSUPPORTED" "no /etc/os-release: this does not look like a systemd Linux distribution"
  OS_NAME=$(sed -n 's/^PRETTY_NAME=//p' "$os_release" | tr -d '"')
  [ -n "$OS_NAME" ] || OS_NAME=$(sed -n 's/^ID=//p' "$os_release" | tr -d '"')
  MACHINE=$(uname -m)
  case $MACHINE in
    x86_64 | amd64) ARCH=x64 ;;
    aarch64 | arm64) ARCH=arm64 ;;
    *) die "$EXIT_UNSUPPORTED" "no agent build for the $MACHINE architecture (only x86_64 and aarch64)" ;;
  esac
  detail "${OS_NAME:-Linux}, $MACHINE -> linux-$ARCH"
}

check_systemd() {
  [ -d "$(p /run/systemd/system)" ] ||
    die "$EXIT_NO_SYSTEMD" "systemd is not running on this host (no /run/systemd/system); the agent runs as a systemd service"
  have "$SYSTEMCTL" || die "$EXIT_NO_SYSTEMD" "$SYSTEMCTL not found; the agent runs as a systemd service"
  detail "systemd is running"
}

collector_present() {
  for dir in /etc/systemd/system /usr/lib/systemd/system /lib/systemd/system; do
    [ -f "$(p "$dir/$1.service")" ] && return 0
  done
  [ -d "$(p "/etc/$1")" ] || [ -x "$(p "/usr/bin/$1")" ]
}

check_collector() {
  found=
  collector_present alloy && found=alloy
  collector_present otelcol-contrib && found="$found${found:+ }otelcol-contrib"
  case $COLLECTOR in
    auto)
      case $found in
        alloy | otelcol-contrib) COLLECTOR=$found ;;
        "") die "$EXIT_NO_COLLECTOR" "no collector found (neither Grafana Alloy nor otelcol-contrib); install one first, then run this again" ;;
        *) die "$EXIT_NO_COLLECTOR" "both Alloy and otelcol-contrib are installed; choose with --collector alloy or --collector otelcol-contrib" ;;
      esac
      ;;
    *)
      case " $found " in
        *" $COLLECTOR "*) ;;
        *) die "$EXIT_NO_COLLECTOR" "$COLLECTOR is not installed here (no $COLLECTOR.service, /etc/$COLLECTOR or /usr/bin/$COLLECTOR); install it first" ;;
      esac
      ;;
  esac
  detail "collector: $COLLECTOR"
}

check_relay() {
  fetch "$SERVER/healthz" - >/dev/null 2>&1 ||
    die "$EXIT_UNREACHABLE" "cannot reach the relay at $SERVER/healthz; check the URL, DNS and the firewall (curl -v $SERVER/healthz)"
  detail "relay $SERVER is reachable"
}

# Reads the per-arch pointer (one sha256sum line) naming the current artifact and its checksum.
find_artifact() {
  pointer="$WORK_DIR/pointer"
  fetch "$SERVER/downloads/linkmesh-agent-linux-$ARCH.sha256" "$pointer" 2>/dev/null ||
    die "$EXIT_DOWNLOAD" "the relay has no agent build for linux-$ARCH; on the relay's build host run npm run package"
  read -r EXPECTED_SUM ARTIFACT <"$pointer" || true
  case $EXPECTED_SUM in
    *[!0-9a-f]* | "") die "$EXIT_DOWNLOAD" "the relay's checksum file for linux-$ARCH is malformed; rebuild it with npm run package" ;;
  esac
  [ ${#EXPECTED_SUM} = 64 ] || die "$EXIT_DOWNLOAD" "the relay's checksum file for linux-$ARCH is malformed"
  case $ARTIFACT in
    */* | *..*) die "$EXIT_DOWNLOAD" "the relay named an unexpected artifact \"$ARTIFACT\"" ;;
    "linkmesh-agent-"*"-linux-$ARCH.tar.gz") ;;
    *) die "$EXIT_DOWNLOAD" "the relay named an unexpected artifact \"$ARTIFACT\"" ;;
  esac
  VERSION=${ARTIFACT#linkmesh-agent-}
  VERSION=${VERSION%-linux-"$ARCH".tar.gz}
  detail "agent $VERSION ($ARTIFACT)"
}

confirm() {
  [ "$YES" = 1 ] && return 0
  [ "$DRY_RUN" = 1 ] && return 0
  # Piped into sh, stdin is the script: ask on the terminal, and without one require --yes.
  if ! (: </dev/tty) 2>/dev/null; then
    die "$EXIT_CANCELLED" "$1 needs confirmation and there is no terminal; add --yes"
  fi
  printf '%s [y/N] ' "$1" >/dev/tty
  read -r answer </dev/tty || answer=
  case $answer in
    y | Y | yes | YES) ;;
    *) die "$EXIT_CANCELLED" "cancelled; nothing was changed" ;;
  esac
}

# --- install ---------------------------------------------------------------------------------------------------

download_artifact() {
  if [ "$DRY_RUN" = 1 ]; then
    detail "would download $SERVER/downloads/$ARTIFACT and check its sha256 $EXPECTED_SUM"
    return 0
  fi
  fetch "$SERVER/downloads/$ARTIFACT" "$WORK_DIR/$ARTIFACT" ||
    die "$EXIT_DOWNLOAD" "downloading $SERVER/downloads/$ARTIFACT failed; check the connection and run again"
  # The checksum published beside the artifact must agree with the pointer, and the bytes with both.
  fetch "$SERVER/downloads/$ARTIFACT.sha256" "$WORK_DIR/artifact.sha256" ||
    die "$EXIT_DOWNLOAD" "downloading $SERVER/downloads/$ARTIFACT.sha256 failed; run again"
  read -r beside _ <"$WORK_DIR/artifact.sha256" || true
  actual=$(sha256_of "$WORK_DIR/$ARTIFACT")
  if [ "$actual" != "$EXPECTED_SUM" ] || [ "$beside" != "$EXPECTED_SUM" ]; then
    die "$EXIT_CHECKSUM" "checksum mismatch for $ARTIFACT (expected $EXPECTED_SUM, got $actual); nothing was installed. Retry; if it persists, rebuild the artifacts on the relay (npm run package)"
  fi
  detail "sha256 verified: $actual"
}

ensure_user() {
  if user_exists "$USER_NAME"; then
    detail "system user $USER_NAME exists"
  else
    nologin=/usr/sbin/nologin
    [ -x "$nologin" ] || nologin=/sbin/nologin
    with_prefix useradd --system --user-group --no-create-home --home-dir /var/lib/linkmesh --shell "$nologin" "$USER_NAME"
  fi
  # journal access, and the collector's group for its config directory (e.g. /etc/alloy is root:alloy 0770).
  for group in systemd-journal "$COLLECTOR"; do
    if group_exists "$group"; then
      with_prefix usermod --append --groups "$group" "$USER_NAME"
    else
      detail "no $group group on this host; skipped"
    fi
  done
}

install_files() {
  dest=$(p /opt/linkmesh-agent)
  if [ "$DRY_RUN" = 1 ]; then
    detail "would unpack $ARTIFACT into /opt/linkmesh-agent (replacing any previous version in one rename)"
  else
    stage="$dest.new.$$"
    change mkdir -p "$stage"
    change tar -xzf "$WORK_DIR/$ARTIFACT" -C "$stage" --no-same-owner
    # The bundled runtime must run here (right architecture and C library) before anything is replaced.
    "$stage/bin/linkmesh-agent" --help >/dev/null 2>&1 ||
      die "$EXIT_FILES" "the downloaded agent does not run on this host ($MACHINE); report this with the output of: uname -a"
    if [ -d "$dest" ]; then
      change mv "$dest" "$dest.old.$$"
      change mv "$stage" "$dest"
      change rm -rf "$dest.old.$$"
    else
      change mv "$stage" "$dest"
    fi
  fi
  change mkdir -p "$(p /usr/local/bin)"
  change ln -sfn /opt/linkmesh-agent/bin/linkmesh-agent "$(p /usr/local/bin/linkmesh-agent)"
  uid=$(account_id passwd "$USER_NAME")
  gid=$(account_id group "$USER_NAME")
  # /etc/linkmesh holds secrets: 0750 and the files in it 0600, set before any content is written.
  change install -d -m 0750 -o 0 -g "${gid:-0}" "$(p /etc/linkmesh)"
  change install -d -m 0750 -o "${uid:-0}" -g "${gid:-0}" "$(p /var/lib/linkmesh)" "$(p /var/log/linkmesh)"
  change mkdir -p "$(p /etc/systemd/system)"
  if [ "$DRY_RUN" = 1 ]; then
    detail "would install the unit $UNIT from the artifact into /etc/systemd/system"
  else
    change install -m 0644 "$dest/share/$UNIT" "$(p "/etc/systemd/system/$UNIT")"
  fi
}

enroll() {
  if [ -z "$TOKEN" ]; then
    if [ -f "$(p /etc/linkmesh/agent.json)" ]; then
      detail "already enrolled and no --token given: keeping the current enrollment"
      return 0
    fi
    die "$EXIT_USAGE" "no enrollment token: mint one in the LinkMesh UI (Enroll) and pass --token TOKEN"
  fi
  agent=$(p /opt/linkmesh-agent/bin/linkmesh-agent)
  # The token travels in the environment, not argv: the process list is world-readable.
  set -- enroll --server "$SERVER" --collector "$COLLECTOR"
  [ -n "$ROOT" ] && set -- --root "$ROOT" "$@"
  if [ "$DRY_RUN" = 1 ]; then
    detail "would run: LINKMESH_ENROLL_TOKEN=lme_... linkmesh-agent enroll --server $SERVER --collector $COLLECTOR"
    return 0
  fi
  CHANGED=1
  # Anything the agent creates is private unless it says otherwise.
  enrolled=1
  (umask 077 && LINKMESH_ENROLL_TOKEN="$TOKEN" "$agent" "$@") >"$WORK_DIR/enroll.log" 2>&1 || enrolled=0
  sed 's/^/      /' "$WORK_DIR/enroll.log"
  [ "$enrolled" = 1 ] ||
    die "$EXIT_ENROLL" "enrollment failed (see above); mint a fresh token in the LinkMesh UI and run this again"
  token_file=$(p /etc/linkmesh/agent.token)
  [ -f "$token_file" ] || die "$EXIT_ENROLL" "enrollment did not write /etc/linkmesh/agent.token; run sudo linkmesh-agent doctor"
  change chmod 0600 "$token_file"
  change chown "$(account_id passwd "$USER_NAME"):$(account_id group "$USER_NAME")" "$token_file"
  collector_token=$(p "/etc/$COLLECTOR/linkmesh.token")
  if [ -f "$collector_token" ] && group_exists "$COLLECTOR"; then
    # The collector reads it as its own group; nobody else may.
    change chown "0:$(account_id group "$COLLECTOR")" "$collector_token"
    change chmod 0640 "$collector_token"
  fi
}

start_service() {
  change "$SYSTEMCTL" daemon-reload
  change "$SYSTEMCTL" enable "$UNIT"
  change "$SYSTEMCTL" restart "$UNIT"
  [ "$DRY_RUN" = 1 ] && return 0
  sleep 2
  "$SYSTEMCTL" is-active --quiet "$UNIT" ||
    die "$EXIT_SERVICE" "$UNIT did not stay running; see journalctl -u $UNIT -n 50 and run sudo linkmesh-agent doctor"
  detail "$UNIT is running"
}

do_install() {
  step "Checking this host"
  check_root
  check_platform
  check_systemd
  check_collector
  if [ -z "$TOKEN" ] && [ ! -f "$(p /etc/linkmesh/agent.json)" ]; then
    die "$EXIT_USAGE" "no enrollment token: mint one in the LinkMesh UI (Enroll) and pass --token TOKEN"
  fi
  step "Checking the relay"
  check_relay
  find_artifact
  if [ -d "$(p /opt/linkmesh-agent)" ]; then
    detail "an agent is installed already: upgrading in place"
  fi
  if [ "$DRY_RUN" = 1 ]; then
    say "Dry run: the steps below are printed, nothing is changed."
  fi
  step "Downloading the agent"
  download_artifact
  step "Creating the $USER_NAME system user"
  ensure_user
  step "Installing to /opt/linkmesh-agent"
  install_files
  step "Enrolling with $SERVER"
  enroll
  step "Starting $UNIT"
  start_service
  if [ "$DRY_RUN" = 1 ]; then
    say "Dry run complete: nothing was changed."
  else
    say "Done: agent $VERSION is running and reporting $COLLECTOR to $SERVER."
    say "Check it any time with: sudo linkmesh-agent doctor"
  fi
}

# --- uninstall -------------------------------------------------------------------------------------------------

do_uninstall() {
  step "Checking this host"
  check_root
  [ "$DRY_RUN" = 1 ] && say "Dry run: the steps below are printed, nothing is changed."
  confirm "Remove the LinkMesh agent, its settings and the $USER_NAME user?"
  step "Stopping $UNIT"
  if [ -f "$(p "/etc/systemd/system/$UNIT")" ]; then
    change "$SYSTEMCTL" disable --now "$UNIT"
    change rm -f "$(p "/etc/systemd/system/$UNIT")"
    change "$SYSTEMCTL" daemon-reload
  else
    detail "no $UNIT installed"
  fi
  step "Taking the LinkMesh blocks out of the collector config"
  agent=$(p /opt/linkmesh-agent/bin/linkmesh-agent)
  if [ -x "$agent" ] && [ -f "$(p /etc/alloy/config.alloy)" ] && grep -qs '^// linkmesh-bootstrap' "$(p /etc/alloy/config.alloy)"; then
    set -- remove-bootstrap
    [ -n "$ROOT" ] && set -- --root "$ROOT" "$@"
    if [ "$DRY_RUN" = 1 ]; then
      detail "would run: linkmesh-agent remove-bootstrap (the operator's config stays byte for byte)"
    else
      CHANGED=1
      removed=1
      "$agent" "$@" >"$WORK_DIR/remove-bootstrap.log" 2>&1 || removed=0
      sed 's/^/      /' "$WORK_DIR/remove-bootstrap.log"
      [ "$removed" = 1 ] ||
        die "$EXIT_FILES" "could not take the LinkMesh blocks out of /etc/alloy/config.alloy (see above); nothing else was removed"
    fi
  else
    detail "no LinkMesh blocks in a collector config"
  fi
  step "Removing files"
  for path in /opt/linkmesh-agent /usr/local/bin/linkmesh-agent /etc/linkmesh /var/lib/linkmesh /var/log/linkmesh; do
    if [ -e "$(p "$path")" ] || [ -L "$(p "$path")" ]; then
      change rm -rf "$(p "$path")"
    fi
  done
  for collector in alloy otelcol-contrib; do
    token=$(p "/etc/$collector/linkmesh.token")
    [ -f "$token" ] || continue
    # Never break a collector config: keep the token while any config still reads it.
    if grep -rqs --exclude=linkmesh.token 'linkmesh.token' "$(p "/etc/$collector")"; then
      detail "kept /etc/$collector/linkmesh.token and the $collector config, which still uses it: remove the"
      detail "LinkMesh blocks (label \"linkmesh\") from it, then delete the token file"
    else
      change rm -f "$token"
    fi
  done
  step "Removing the $USER_NAME user"
  if user_exists "$USER_NAME"; then
    with_prefix userdel "$USER_NAME"
  else
    detail "no $USER_NAME user"
  fi
  # userdel keeps the user's own group unless login.defs says USERGROUPS_ENAB.
  if group_exists "$USER_NAME"; then
    with_prefix groupdel "$USER_NAME"
  fi
  if [ "$DRY_RUN" = 1 ]; then say "Dry run complete: nothing was changed."; else say "LinkMesh agent removed."; fi
}

main() {
  trap on_exit EXIT
  parse_args "$@"
  WORK_DIR=$(mktemp -d "${TMPDIR:-/tmp}/linkmesh-install.XXXXXX")
  if [ "$UNINSTALL" = 1 ]; then
    say "LinkMesh agent uninstaller${ROOT:+ (root $ROOT)}"
    do_uninstall
  else
    say "LinkMesh agent installer: relay $SERVER${ROOT:+ (root $ROOT)}"
    do_install
  fi
}

main "$@"
