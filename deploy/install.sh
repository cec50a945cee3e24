#!/usr/bin/env bash
# Install, update and roll back the RVM kiosk on a Jetson (docs/deployment.md). Shipped in the package as
# resources/deploy/install.sh; run it from a copy (e.g. the one in the previous version) or from the USB drive.
#
#   sudo install.sh rvm-kiosk-0.2.0-arm64.AppImage    extract into /opt/rvm/0.2.0, point /opt/rvm/current at it,
#                                                     keep the one it replaces as /opt/rvm/previous
#   sudo install.sh --rollback                        swap current and previous back
#   install.sh --status                               show what current and previous point at
#
# Options: --prefix DIR (default /opt/rvm), --version V (when the AppImage does not say), --restart USER
# (restart that user's rvm-kiosk unit afterwards), --keep N (installed versions kept, default 2: current and
# previous; older ones are deleted). The links are relative and switched with rename(2), so `current` always
# points at a complete version: an interrupted install leaves the old one running.
set -euo pipefail

prefix=/opt/rvm keep=2 version="" restart_user="" action=install appimage="" work=""
while [ $# -gt 0 ]; do
  case "$1" in
    --prefix) prefix="$2"; shift 2 ;;
    --version) version="$2"; shift 2 ;;
    --keep) keep="$2"; shift 2 ;;
    --restart) restart_user="$2"; shift 2 ;;
    --rollback) action=rollback; shift ;;
    --status) action=status; shift ;;
    -h|--help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "install.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
    *) [ -z "$appimage" ] || { echo "install.sh: one AppImage at a time" >&2; exit 2; }; appimage="$1"; shift ;;
  esac
done
case "$keep" in ''|*[!0-9]*) echo "install.sh: --keep needs a number" >&2; exit 2 ;; esac
[ "$keep" -ge 2 ] || { echo "install.sh: --keep must be at least 2 (current and previous)" >&2; exit 2; }

die() { echo "install.sh: $*" >&2; exit 1; }
target_of() { [ -L "$prefix/$1" ] && readlink "$prefix/$1" || true; }

# Point link $1 at $2 (a name inside $prefix) with one rename: never a moment without the link.
switch_link() {
  local tmp="$prefix/.$1.$$"
  ln -sfn "$2" "$tmp"
  mv -Tf "$tmp" "$prefix/$1"
}

restart_kiosk() {
  [ -n "$restart_user" ] || { echo "Restart the kiosk to run it: systemctl --user restart rvm-kiosk (as the kiosk user)"; return; }
  local uid
  uid=$(id -u "$restart_user")
  sudo -u "$restart_user" XDG_RUNTIME_DIR="/run/user/$uid" systemctl --user restart rvm-kiosk
  echo "Restarted rvm-kiosk for $restart_user."
}

status() {
  echo "prefix:   $prefix"
  echo "current:  $(target_of current || true)"
  echo "previous: $(target_of previous || true)"
  echo "installed:"
  for d in "$prefix"/*/; do [ -x "${d}rvm-kiosk" ] && echo "  $(basename "$d")"; done 2>/dev/null || true
}

rollback() {
  local cur prev
  cur=$(target_of current); prev=$(target_of previous)
  [ -n "$prev" ] && [ -d "$prefix/$prev" ] || die "no previous version to roll back to in $prefix"
  switch_link current "$prev"
  [ -n "$cur" ] && switch_link previous "$cur"
  echo "Rolled back: current -> $prev${cur:+ (previous -> $cur)}"
  restart_kiosk
}

install_appimage() {
  [ -n "$appimage" ] || die "which AppImage? (install.sh rvm-kiosk-<version>-arm64.AppImage, see --help)"
  [ -f "$appimage" ] || die "$appimage not found"
  appimage=$(cd "$(dirname "$appimage")" && pwd)/$(basename "$appimage")
  mkdir -p "$prefix"
  work=$(mktemp -d "$prefix/.extract.XXXXXX")
  trap '[ -z "$work" ] || rm -rf "$work"' EXIT
  chmod +x "$appimage" 2>/dev/null || true
  (cd "$work" && "$appimage" --appimage-extract >/dev/null) || die "$appimage --appimage-extract failed; nothing changed"
  [ -x "$work/squashfs-root/rvm-kiosk" ] || die "$appimage holds no rvm-kiosk executable; nothing changed"

  # The version: --version, else the desktop entry electron-builder writes, else the file name.
  if [ -z "$version" ]; then
    version=$(sed -n 's/^X-AppImage-Version=//p' "$work"/squashfs-root/*.desktop 2>/dev/null | head -n1)
  fi
  if [ -z "$version" ]; then
    version=$(basename "$appimage" | sed -n 's/^rvm-kiosk-\(.*\)-\(arm64\|x86_64\|x64\|aarch64\)\.AppImage$/\1/p')
  fi
  [ -n "$version" ] || die "cannot tell the version of $appimage: pass --version"
  case "$version" in current|previous|.*|*/*) die "refusing version name \"$version\"" ;; esac

  local cur
  cur=$(target_of current)
  [ "$cur" != "$version" ] || die "$version is already the current version (roll back first to reinstall it)"

  # Chromium's sandbox helper must be SUID root, which an AppImage mount could not give it.
  if [ "$(id -u)" = 0 ] && [ -f "$work/squashfs-root/chrome-sandbox" ]; then
    chown root:root "$work/squashfs-root/chrome-sandbox"
    chmod 4755 "$work/squashfs-root/chrome-sandbox"
  elif [ -f "$work/squashfs-root/chrome-sandbox" ]; then
    echo "install.sh: not root: chrome-sandbox is not made SUID (run with sudo on the Jetson)" >&2
  fi
  chmod 755 "$work/squashfs-root"

  rm -rf "${prefix:?}/$version"
  mv -T "$work/squashfs-root" "$prefix/$version"
  switch_link current "$version"
  [ -n "$cur" ] && switch_link previous "$cur"
  echo "Installed $version: current -> $version${cur:+ (previous -> $cur)}"

  # Keep current, previous and the newest others up to --keep versions in all; delete the rest.
  local prev kept d name
  prev=$(target_of previous)
  kept=$(( ${prev:+1} + 1 ))
  for d in $(ls -1dt "$prefix"/*/ 2>/dev/null); do
    d=${d%/}
    name=$(basename "$d")
    # Only real version folders: never the current/previous links, never what they point at.
    if [ -L "$d" ] || [ "$name" = "$version" ] || [ "$name" = "$prev" ] || [ ! -x "$d/rvm-kiosk" ]; then continue; fi
    if [ "$kept" -lt "$keep" ]; then kept=$((kept + 1)); continue; fi
    rm -rf "${prefix:?}/$name"
    echo "Removed old version $name"
  done
  restart_kiosk
}

case "$action" in
  status) status ;;
  rollback) rollback ;;
  install) install_appimage ;;
esac
