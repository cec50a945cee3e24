#!/usr/bin/env bash
# npm run pack:appimage [-- options]: the Jetson package, built in the one order that works on an x64 host.
#
#   1. npm run build             renderer (vite/rolldown), main + core (tsc), preload (esbuild) — with the
#                                host's own native tools, before anything is swapped
#   2. npm install --no-save --os=linux --cpu=<arch> sharp@<locked version>
#                                adds sharp's <arch> binary and libvips (optional npm packages). npm swaps
#                                EVERY platform package in node_modules (esbuild, rolldown, …) while doing it,
#                                which is why the build has to come first
#   3. electron-builder --linux <target> --<arch>
#   4. scripts/pack-appimage-check.mjs: every required <arch> native is in the package, every native is an
#                                <arch> ELF; prints the package size
#   5. npm ci                    puts the host's own platform packages back (also when a step failed)
#
# Options: --arch arm64|x64 (default arm64), --target AppImage|dir (default AppImage), --no-build,
# --no-restore (skip step 5: for a throw-away copy of the project). Anything after `--` goes to
# electron-builder (e.g. --config scratch.json). The AppImage target downloads Electron and the AppImage
# toolset from GitHub; `--target dir` with a stand-in electronDist is what runs offline (docs/deployment.md).
set -euo pipefail
cd "$(dirname "$0")/.."

arch=arm64 target=AppImage build=1 restore=1
builder_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --arch) arch="$2"; shift 2 ;;
    --target) target="$2"; shift 2 ;;
    --no-build) build=0; shift ;;
    --no-restore) restore=0; shift ;;
    --) shift; builder_args=("$@"); break ;;
    -h|--help) sed -n '2,22p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "pack-appimage: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
case "$arch" in arm64|x64) ;; *) echo "pack-appimage: --arch must be arm64 or x64" >&2; exit 2 ;; esac

host_arch=$(node -p 'process.arch')
version=$(node -p 'require("./package.json").version')
sharp_version=$(node -p 'require("./package-lock.json").packages["node_modules/sharp"].version')

if [ "$build" = 1 ]; then
  echo "== 1/5 build (host tools: $host_arch)"
  npm run build
fi

swapped=0
restore_host() {
  if [ "$swapped" = 1 ] && [ "$restore" = 1 ]; then
    echo "== 5/5 npm ci: restoring the host's ($host_arch) platform packages"
    npm ci
  fi
}
trap restore_host EXIT

if [ "$arch" != "$host_arch" ]; then
  echo "== 2/5 npm install --no-save --os=linux --cpu=$arch sharp@$sharp_version"
  swapped=1
  npm install --no-save --os=linux --cpu="$arch" "sharp@$sharp_version"
else
  echo "== 2/5 host is $arch: sharp's own binary is already the right one"
fi

echo "== 3/5 electron-builder --linux $target --$arch"
npx electron-builder --linux "$target" "--$arch" --publish never ${builder_args[@]+"${builder_args[@]}"}

echo "== 4/5 checking the natives in the package"
# Where electron-builder put it: directories.output of a --config JSON, else electron-builder.yml's out/<version>.
output=$(node -e '
  const [, ...args] = process.argv; const i = args.indexOf("--config");
  const out = i >= 0 && args[i + 1].endsWith(".json") ? JSON.parse(require("fs").readFileSync(args[i + 1], "utf8")).directories?.output : undefined;
  console.log((out ?? "out/${version}").replaceAll("${version}", require("./package.json").version));
' -- ${builder_args[@]+"${builder_args[@]}"})
unpacked="$output/linux-$([ "$arch" = x64 ] || echo "$arch-")unpacked"
node scripts/pack-appimage-check.mjs "$unpacked" "$arch"
if [ "$target" = AppImage ]; then ls -l "$output"/*.AppImage; fi
