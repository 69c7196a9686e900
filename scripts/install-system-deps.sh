#!/usr/bin/env bash
# Install the Debian/Ubuntu packages the portal needs, only those that are missing.
#   runtime: the libraries WeasyPrint loads (Pango, HarfBuzz with its subsetter for fast font
#            subsetting), fonts for PDFs; pg_dump/pg_restore for `make backup`/`make restore`;
#   --dev:   also Chromium for browser tests and poppler-utils to read PDFs back.
# On a machine without apt it says what to install and carries on.
set -euo pipefail

packages=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 fonts-dejavu-core fonts-liberation shared-mime-info postgresql-client)
if [ "${1:-}" = "--dev" ]; then
  # gettext: makemessages/compilemessages for the fr and ru catalogues under locale/.
  packages+=(chromium poppler-utils gettext)
  # axe-core comes from npm; Node's own packaging (Debian's or NodeSource's) varies, so only ask
  # apt for it when there is no npm at all.
  command -v npm >/dev/null 2>&1 || packages+=(nodejs npm)
fi

missing=()
for pkg in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
  echo "Please install these system packages with your package manager: ${missing[*]}" >&2
  exit 0
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
    echo "Not root and no sudo: please install ${missing[*]}" >&2; exit 1
  fi
fi
echo "Installing system packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
