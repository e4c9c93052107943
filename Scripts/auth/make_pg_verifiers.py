#!/usr/bin/env python3
"""Asks a real PostgreSQL 15 for the SCRAM-SHA-256 verifiers of passwords that exercise SASLprep,
and writes them to Fixtures/auth/pg15-scram-verifiers.txt.

The server runs pg_saslprep on a password given in CREATE ROLE ... PASSWORD and stores
SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>; the test derives the same keys from the
same bytes and salt and must match. A SQL_ASCII cluster takes every password as raw bytes, so
invalid UTF-8 can be tested too. Runs as root, starts the server as `postgres` on a Unix socket
only, and stops it. Run from the repository root: python3 Scripts/auth/make_pg_verifiers.py
"""
import os
import shutil
import subprocess
import tempfile

BIN = "/usr/lib/postgresql/15/bin"

# (description, password bytes)
PASSWORDS = [
    ("ASCII", b"pencil"),
    ("ASCII with a control character, used as is", b"a\x07b"),
    ("U+2168 ROMAN NUMERAL NINE, NFKC to IX", "\u2168".encode()),
    ("soft hyphen mapped to nothing", "I\u00adX".encode()),
    ("no-break space mapped to space", "user\u00a0name".encode()),
    ("U+00AA, NFKC to a", "\u00aa".encode()),
    ("U+FB01 ligature, NFKC to fi", "\ufb01".encode()),
    ("e + combining acute, NFKC to U+00E9", "e\u0301".encode()),
    ("precomposed U+00E9", "\u00e9".encode()),
    ("ASCII BEL among non-ASCII: prohibited, raw", "a\u0007\u00e9".encode()),
    ("private use: prohibited, raw", "\ue000x".encode()),
    ("only a soft hyphen: empty after mapping, raw", "\u00ad".encode()),
    ("two RandALCat characters", "\u0627\u0628".encode()),
    ("RandALCat with LCat: raw", "\u0627a\u0628".encode()),
    ("RandALCat not last: raw", "\u06271".encode()),
    ("U+0221, unassigned in Unicode 3.2: raw", "\u0221x".encode()),
    ("U+1D400 mathematical bold A, NFKC to A", "\U0001d400".encode()),
    ("ideographic space mapped to space", "\u3000pass".encode()),
    ("U+200B zero width space, C.1.2 in Unicode 3.2: space", "\u200bzero".encode()),
    ("U+01C4, NFKC to D + U+017D", "\u01c4".encode()),
    ("byte order mark mapped to nothing", "\ufeffbom".encode()),
    ("emoji, unassigned in Unicode 3.2: raw", "\U0001f600".encode()),
    ("fullwidth letters, NFKC to ASCII", "\uff50\uff41\uff53\uff53".encode()),
    ("Hangul jamo, NFKC composes a syllable", "\u1100\u1161\u11a8".encode()),
    ("invalid UTF-8: raw", b"\xc3\x28"),
    ("overlong UTF-8: raw", b"\xc0\xaf"),
    ("UTF-8 encoded surrogate: raw", b"\xed\xa0\x80x"),
    ("Latin-1 bytes: raw", b"caf\xe9"),
]


def main():
    root = tempfile.mkdtemp(prefix="pgwire-auth-")
    shutil.chown(root, "postgres")
    data, socket_dir = os.path.join(root, "data"), root

    def as_postgres(*args, **kwargs):
        return subprocess.run(["runuser", "-u", "postgres", "--", *args], check=True, **kwargs)

    try:
        as_postgres(f"{BIN}/initdb", "-D", data, "--encoding=SQL_ASCII", "--locale=C", "-A", "trust",
                    stdout=subprocess.DEVNULL)
        as_postgres(f"{BIN}/pg_ctl", "-D", data, "-w", "-l", os.path.join(root, "log"),
                    "-o", f"-c listen_addresses='' -c unix_socket_directories={socket_dir} -p 54391",
                    "start", stdout=subprocess.DEVNULL)
        try:
            sql = ["SET password_encryption = 'scram-sha-256';"]
            for index, (_, password) in enumerate(PASSWORDS):
                literal = "".join(f"\\x{byte:02x}" for byte in password)
                sql.append(f"CREATE ROLE saslprep_{index} PASSWORD E'{literal}';")
            sql.append("SELECT rolname, rolpassword FROM pg_authid WHERE rolname LIKE 'saslprep_%';")
            result = as_postgres(f"{BIN}/psql", "-h", socket_dir, "-p", "54391", "-U", "postgres",
                                 "-d", "postgres", "-X", "-q", "-A", "-t", "-F", " ",
                                 input="\n".join(sql).encode(), capture_output=True)
            verifiers = dict(line.split(" ", 1) for line in result.stdout.decode().splitlines() if line)
        finally:
            as_postgres(f"{BIN}/pg_ctl", "-D", data, "-w", "-m", "fast", "stop", stdout=subprocess.DEVNULL)
    finally:
        shutil.rmtree(root)

    with open("Fixtures/auth/pg15-scram-verifiers.txt", "w") as out:
        out.write("# hex-of-password-bytes  verifier-stored-by-PostgreSQL-15  (made by make_pg_verifiers.py)\n")
        for index, (description, password) in enumerate(PASSWORDS):
            out.write(f"# {description}\n{password.hex()} {verifiers[f'saslprep_{index}']}\n")


if __name__ == "__main__":
    main()
