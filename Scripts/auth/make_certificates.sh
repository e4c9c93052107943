#!/bin/sh
# Makes the self-signed certificates that the channel-binding tests read, and certificates.txt,
# which names for each the tls-server-end-point hash (computed here by openssl) or "unsupported".
# The certificates are static public test inputs; their private keys are thrown away.
# Run from the repository root: sh Scripts/auth/make_certificates.sh
set -eu
out=Fixtures/auth/certificates
mkdir -p "$out"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
manifest=Fixtures/auth/certificates.txt
echo "# file  hash-used-by-tls-server-end-point  hex-digest-of-the-DER-file (made by make_certificates.sh)" > "$manifest"

# make NAME KEYGEN-ARGS SIGN-ARGS EXPECTED-HASH   (EXPECTED-HASH: sha256|sha384|sha512|unsupported)
make() {
    name=$1 keygen=$2 sign=$3 expected=$4
    # shellcheck disable=SC2086
    openssl genpkey $keygen -out "$work/$name.key" 2>/dev/null
    # shellcheck disable=SC2086
    openssl req -x509 -new -key "$work/$name.key" $sign -days 36500 -subj "/CN=pgwire-$name" \
        -outform DER -out "$out/$name.der"
    if [ "$expected" = unsupported ]; then
        echo "$name.der unsupported -" >> "$manifest"
    else
        digest=$(openssl dgst "-$expected" -r "$out/$name.der" | cut -d' ' -f1)
        echo "$name.der $expected $digest" >> "$manifest"
    fi
}

rsa="-algorithm RSA -pkeyopt rsa_keygen_bits:2048"
make rsa-sha1 "$rsa" "-sha1" sha256
make rsa-sha224 "$rsa" "-sha224" unsupported
make rsa-sha256 "$rsa" "-sha256" sha256
make rsa-sha384 "$rsa" "-sha384" sha384
make rsa-sha512 "$rsa" "-sha512" sha512
make rsa-pss-sha256 "$rsa" "-sha256 -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:32" sha256
make rsa-pss-sha384 "$rsa" "-sha384 -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:48" sha384
make rsa-pss-sha512 "$rsa" "-sha512 -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:64" sha512
make ecdsa-p256-sha1 "-algorithm EC -pkeyopt ec_paramgen_curve:P-256" "-sha1" sha256
make ecdsa-p256-sha256 "-algorithm EC -pkeyopt ec_paramgen_curve:P-256" "-sha256" sha256
make ecdsa-p384-sha384 "-algorithm EC -pkeyopt ec_paramgen_curve:P-384" "-sha384" sha384
make ecdsa-p521-sha512 "-algorithm EC -pkeyopt ec_paramgen_curve:P-521" "-sha512" sha512
make ecdsa-p256-sha512 "-algorithm EC -pkeyopt ec_paramgen_curve:P-256" "-sha512" sha512
make ed25519 "-algorithm ED25519" "" unsupported
make ed448 "-algorithm ED448" "" unsupported
