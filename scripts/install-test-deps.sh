#!/usr/bin/env bash
# Installs the real peers the tests use (Debian packages). Needs root; idempotent.
set -euo pipefail
SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
# Debian starts services on install; the tests start their own servers on loopback instead.
printf '#!/bin/sh\nexit 101\n' | $SUDO tee /usr/sbin/policy-rc.d >/dev/null; $SUDO chmod +x /usr/sbin/policy-rc.d
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends \
  apache2 apache2-utils rclone php-cli php-sabre-dav \
  age restic \
  fuse3 fusefat exfat-fuse exfatprogs dosfstools \
  chromium fonts-dejavu-core \
  curl ca-certificates openssl procps time unzip brotli jq \
  zstd
