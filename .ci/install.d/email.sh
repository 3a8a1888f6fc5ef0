#!/usr/bin/env bash
# The e-mail channel's tests: a real Dovecot IMAP server fed by dovecot-lda (Debian package
# dovecot-imapd, which pulls in dovecot-core), openssl for the test certificate (a dependency
# of dovecot-core), and a `vmail` system user that owns the test mailboxes, because Dovecot
# refuses to store mail as root. The tests write their own configuration under a temporary
# directory; no system mail configuration is touched, and the package's own service is not used.
set -euo pipefail

missing=()
[ -x /usr/sbin/dovecot ] && [ -x /usr/lib/dovecot/dovecot-lda ] && [ -e /usr/lib/dovecot/imap ] \
  || missing+=(dovecot-imapd)
command -v openssl >/dev/null 2>&1 || missing+=(openssl)
if [ ${#missing[@]} -gt 0 ]; then
  echo "email: installing ${missing[*]} from Debian's packages"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  if [[ " ${missing[*]} " == *" dovecot-imapd "* ]]; then
    # Debian starts the package's own IMAP service on install; the tests run their own
    # Dovecot on free loopback ports, so the system one is stopped again.
    if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
      systemctl disable --now dovecot.service dovecot.socket >/dev/null 2>&1 || true
    elif command -v invoke-rc.d >/dev/null 2>&1; then
      invoke-rc.d dovecot stop >/dev/null 2>&1 || true
    fi
  fi
fi

if ! id vmail >/dev/null 2>&1; then
  echo "email: creating the vmail system user"
  useradd --system --no-create-home --shell /usr/sbin/nologin vmail
fi

/usr/sbin/dovecot --version >/dev/null
test -x /usr/lib/dovecot/dovecot-lda
command -v openssl >/dev/null
echo "email: dovecot $(/usr/sbin/dovecot --version | cut -d' ' -f1) and user vmail ready"
