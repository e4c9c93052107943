#!/usr/bin/env python3
"""Record byte-exact PostgreSQL 15 protocol sessions as test fixtures.

Run from the repository root:

    python3 Scripts/capture-fixtures.py           # start a throwaway cluster, record, write files
    python3 Scripts/capture-fixtures.py --check   # only re-parse the committed files

The script starts a throwaway PostgreSQL 15 cluster (as the `postgres` user, in a temporary folder,
on a free port of 127.0.0.1), acts itself as a protocol-3 client over a plain socket, and writes for
every session the bytes it sent (`frontend.bin`) and the bytes it received (`backend.bin`) into
`Fixtures/sessions/<name>/`, with a README naming the messages in each direction. It also refreshes
the fuzz seed corpora in `Fixtures/fuzz/`. The cluster is always stopped and removed at the end.

Every secret and the SCRAM client nonce are fixed, so re-running changes only what the server
chooses at random: SCRAM salt and nonce (and so the client proof), the MD5 salt, BackendKeyData,
and process ids inside NotificationResponse. Backend bytes are stored exactly as received.

Python 3.11 standard library only.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import hmac
import os
import pwd
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

PG_BIN = Path("/usr/lib/postgresql/15/bin")
ROOT = Path(__file__).resolve().parent.parent
SESSIONS_DIR = ROOT / "Fixtures" / "sessions"
FUZZ_DIR = ROOT / "Fixtures" / "fuzz"

PROTOCOL_3_0 = 196608  # 3 << 16 | 0
PROTOCOL_3_2 = 196610  # 3 << 16 | 2
CANCEL_REQUEST_CODE = 80877102  # 1234 << 16 | 5678
SSL_REQUEST_CODE = 80877103  # 1234 << 16 | 5679
GSSENC_REQUEST_CODE = 80877104  # 1234 << 16 | 5680

# Fixed client secrets: only server-chosen values change between runs.
CLIENT_NONCE = base64.b64encode(b"pgwire-swift nonce").decode()  # 18 bytes, as libpq uses
ADMIN_USER = "admin"  # superuser, trust
SCRAM_USER, SCRAM_PASSWORD = "scram_user", "scram-secret"
MD5_USER, MD5_PASSWORD = "md5_user", "md5-secret"
CLEAR_USER, CLEAR_PASSWORD = "clear_user", "clear-secret"
DATABASE = "fixtures"
APPLICATION_NAME = "pgwire-fixtures"

# Type OIDs used in Parse.
INT4_OID, TEXT_OID, NUMERIC_OID = 23, 25, 1700

AUTH_NAMES = {
    0: "AuthenticationOk",
    2: "AuthenticationKerberosV5",
    3: "AuthenticationCleartextPassword",
    5: "AuthenticationMD5Password",
    7: "AuthenticationGSS",
    8: "AuthenticationGSSContinue",
    9: "AuthenticationSSPI",
    10: "AuthenticationSASL",
    11: "AuthenticationSASLContinue",
    12: "AuthenticationSASLFinal",
}

BACKEND_NAMES = {
    b"R": "Authentication",
    b"K": "BackendKeyData",
    b"2": "BindComplete",
    b"3": "CloseComplete",
    b"C": "CommandComplete",
    b"d": "CopyData",
    b"c": "CopyDone",
    b"G": "CopyInResponse",
    b"H": "CopyOutResponse",
    b"W": "CopyBothResponse",
    b"D": "DataRow",
    b"I": "EmptyQueryResponse",
    b"E": "ErrorResponse",
    b"V": "FunctionCallResponse",
    b"v": "NegotiateProtocolVersion",
    b"n": "NoData",
    b"N": "NoticeResponse",
    b"A": "NotificationResponse",
    b"t": "ParameterDescription",
    b"S": "ParameterStatus",
    b"1": "ParseComplete",
    b"s": "PortalSuspended",
    b"Z": "ReadyForQuery",
    b"T": "RowDescription",
}

FRONTEND_TYPES = set(b"BCdcfDEHFpPQSX")


# ---------------------------------------------------------------------------------------------
# Message encoding (frontend)
# ---------------------------------------------------------------------------------------------


def cstr(text: str) -> bytes:
    return text.encode() + b"\0"


def int16(value: int) -> bytes:
    return struct.pack("!h", value)


def int32(value: int) -> bytes:
    return struct.pack("!i", value)


def message(type_byte: bytes, payload: bytes = b"") -> bytes:
    """A regular message: type byte, then an Int32 length that counts itself but not the type."""
    return type_byte + int32(len(payload) + 4) + payload


def startup_family(code: int, payload: bytes = b"") -> bytes:
    """A message without type byte: Int32 length (counting itself), Int32 code, payload."""
    return int32(len(payload) + 8) + int32(code) + payload


def startup_message(params: dict[str, str], version: int = PROTOCOL_3_0) -> bytes:
    body = b"".join(cstr(k) + cstr(v) for k, v in params.items()) + b"\0"
    return startup_family(version, body)


def query(sql: str) -> bytes:
    return message(b"Q", cstr(sql))


def parse(name: str, sql: str, type_oids: tuple[int, ...] = ()) -> bytes:
    body = cstr(name) + cstr(sql) + int16(len(type_oids))
    body += b"".join(int32(oid) for oid in type_oids)
    return message(b"P", body)


def bind(
    portal: str,
    statement: str,
    param_formats: list[int],
    params: list[bytes | None],
    result_formats: list[int],
) -> bytes:
    body = cstr(portal) + cstr(statement)
    body += int16(len(param_formats)) + b"".join(int16(f) for f in param_formats)
    body += int16(len(params))
    for value in params:
        body += int32(-1) if value is None else int32(len(value)) + value
    body += int16(len(result_formats)) + b"".join(int16(f) for f in result_formats)
    return message(b"B", body)


def describe(kind: str, name: str) -> bytes:
    return message(b"D", kind.encode() + cstr(name))


def execute(portal: str, max_rows: int = 0) -> bytes:
    return message(b"E", cstr(portal) + int32(max_rows))


def close(kind: str, name: str) -> bytes:
    return message(b"C", kind.encode() + cstr(name))


SYNC = message(b"S")
FLUSH = message(b"H")
TERMINATE = message(b"X")
COPY_DONE = message(b"c")


def copy_data(data: bytes) -> bytes:
    return message(b"d", data)


def copy_fail(reason: str) -> bytes:
    return message(b"f", cstr(reason))


def password_message(secret: str) -> bytes:
    return message(b"p", cstr(secret))


# ---------------------------------------------------------------------------------------------
# Message decoding (backend)
# ---------------------------------------------------------------------------------------------


@dataclass
class Message:
    type: bytes
    body: bytes

    def cstrings(self) -> list[str]:
        return [part.decode() for part in self.body.split(b"\0")]

    def error_fields(self) -> dict[str, str]:
        fields = {}
        for part in self.body.split(b"\0"):
            if part:
                fields[chr(part[0])] = part[1:].decode()
        return fields

    def label(self) -> str:
        """A short name with the detail that tells one instance from another."""
        t = self.type
        if t == b"R":
            code = struct.unpack("!i", self.body[:4])[0]
            return AUTH_NAMES.get(code, f"Authentication({code})")
        name = BACKEND_NAMES.get(t, f"?{t!r}")
        if t in (b"E", b"N"):
            return f"{name}({self.error_fields().get('C', '?')})"
        if t == b"Z":
            return f"{name}({self.body.decode()})"
        if t == b"C":
            tag = self.body.rstrip(b"\0").decode()
            return f"{name}({tag})"
        if t == b"S":
            return f"{name}({self.cstrings()[0]})"
        if t == b"v":
            # The first field is a whole version (major << 16 | minor), not only the minor.
            version, count = struct.unpack("!ii", self.body[:8])
            options = [s for s in self.body[8:].split(b"\0") if s][:count]
            listed = "".join(", " + o.decode() for o in options)
            return f"{name}({version >> 16}.{version & 0xFFFF}{listed})"
        return name


def split_messages(data: bytes) -> tuple[list[Message], bytes]:
    """Splits a backend stream into whole messages; returns them and the unparsed tail."""
    messages, offset = [], 0
    while len(data) - offset >= 5:
        length = struct.unpack("!i", data[offset + 1 : offset + 5])[0]
        if length < 4:
            raise ValueError(f"length {length} below 4 at offset {offset}")
        end = offset + 1 + length
        if end > len(data):
            break
        messages.append(Message(data[offset : offset + 1], data[offset + 5 : end]))
        offset = end
    return messages, data[offset:]


class ServerError(Exception):
    def __init__(self, fields: dict[str, str]):
        super().__init__(f"{fields.get('C')}: {fields.get('M')}")
        self.fields = fields


# ---------------------------------------------------------------------------------------------
# A recording client
# ---------------------------------------------------------------------------------------------


@dataclass
class Session:
    """One connection: every byte it sent and received, and what it sent by name."""

    sock: socket.socket
    sent: bytearray = field(default_factory=bytearray)
    received: bytearray = field(default_factory=bytearray)
    pending: bytearray = field(default_factory=bytearray)
    sent_names: list[str] = field(default_factory=list)
    received_labels: list[str] = field(default_factory=list)
    scram_texts: list[str] = field(default_factory=list)
    backend_key: tuple[int, int] | None = None

    def send(self, name: str, data: bytes) -> None:
        self.sock.sendall(data)
        self.sent += data
        self.sent_names.append(name)

    def _fill(self, count: int) -> None:
        while len(self.pending) < count:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise EOFError("server closed the connection")
            self.received += chunk
            self.pending += chunk

    def read_single_byte(self) -> bytes:
        """Reads the one-byte answer to SSLRequest or GSSENCRequest."""
        self._fill(1)
        answer = bytes(self.pending[:1])
        del self.pending[:1]
        self.received_labels.append(f"'{answer.decode()}' (one byte, no framing)")
        # CVE-2021-23222: nothing may follow the answer before the client speaks again.
        if self.pending:
            raise RuntimeError("bytes buffered after the SSL/GSS answer")
        return answer

    def read_message(self) -> Message:
        self._fill(5)
        length = struct.unpack("!i", self.pending[1:5])[0]
        self._fill(1 + length)
        msg = Message(bytes(self.pending[:1]), bytes(self.pending[5 : 1 + length]))
        del self.pending[: 1 + length]
        self.received_labels.append(msg.label())
        return msg

    def read_until(self, *types: bytes) -> list[Message]:
        """Reads messages up to and including the first one of the given types."""
        out = []
        while True:
            msg = self.read_message()
            out.append(msg)
            if msg.type in types:
                return out

    def read_to_eof(self) -> list[Message]:
        """Reads until the server closes; after Terminate or a FATAL error nothing else comes."""
        while True:
            chunk = self.sock.recv(65536)
            if not chunk:
                break
            self.received += chunk
            self.pending += chunk
        messages, tail = split_messages(bytes(self.pending))
        if tail:
            raise RuntimeError(f"incomplete message at end of stream: {tail!r}")
        self.pending.clear()
        self.received_labels.extend(m.label() for m in messages)
        return messages

    # High-level steps -------------------------------------------------------------------

    def startup(
        self,
        user: str,
        password: str | None = None,
        database: str = DATABASE,
        extra: dict[str, str] | None = None,
        version: int = PROTOCOL_3_0,
    ) -> ServerError | None:
        """Sends the StartupMessage and answers authentication until ReadyForQuery.

        Returns the server's error (already read to EOF) instead of raising, so sessions that
        expect a refusal can record it.
        """
        params = {
            "user": user,
            "database": database,
            "application_name": APPLICATION_NAME,
            "client_encoding": "UTF8",
        }
        params.update(extra or {})
        self.send("StartupMessage", startup_message(params, version))
        scram: ScramClient | None = None
        while True:
            msg = self.read_message()
            if msg.type == b"E":
                self.read_to_eof()
                return ServerError(msg.error_fields())
            if msg.type == b"Z":
                return None
            if msg.type == b"K":
                self.backend_key = struct.unpack("!ii", msg.body)
            if msg.type != b"R":
                continue
            code = struct.unpack("!i", msg.body[:4])[0]
            if code == 3:
                self.send("PasswordMessage", password_message(password or ""))
            elif code == 5:
                salt = msg.body[4:8]
                inner = hashlib.md5((password or "").encode() + user.encode()).hexdigest()
                outer = hashlib.md5(inner.encode() + salt).hexdigest()
                self.send("PasswordMessage", password_message("md5" + outer))
            elif code == 10:
                mechanisms = [m for m in msg.body[4:].split(b"\0") if m]
                if b"SCRAM-SHA-256" not in mechanisms:
                    raise RuntimeError(f"no SCRAM-SHA-256 in {mechanisms}")
                scram = ScramClient(password or "")
                first = scram.client_first().encode()
                body = cstr("SCRAM-SHA-256") + int32(len(first)) + first
                self.send("SASLInitialResponse", message(b"p", body))
            elif code == 11 and scram is not None:
                server_first = msg.body[4:].decode()
                self.scram_texts.append(server_first)
                self.send("SASLResponse", message(b"p", scram.client_final(server_first).encode()))
            elif code == 12 and scram is not None:
                server_final = msg.body[4:].decode()
                self.scram_texts.append(server_final)
                scram.verify_server_final(server_final)
            elif code != 0:
                raise RuntimeError(f"unsupported authentication request {code}")

    def simple(self, sql: str) -> list[Message]:
        self.send("Query", query(sql))
        return self.read_until(b"Z")

    def terminate(self) -> None:
        self.send("Terminate", TERMINATE)
        self.read_to_eof()


class ScramClient:
    """SCRAM-SHA-256 without channel binding (gs2 header `n,,`), as PostgreSQL expects it."""

    def __init__(self, password: str):
        # SASLprep is the identity for the ASCII passwords used here.
        self.password = password.encode()
        self.client_first_bare = f"n=,r={CLIENT_NONCE}"
        self.auth_message = ""
        self.salted = b""

    def client_first(self) -> str:
        return "n,," + self.client_first_bare

    def client_final(self, server_first: str) -> str:
        attrs = dict(part.split("=", 1) for part in server_first.split(","))
        nonce, salt, iterations = attrs["r"], base64.b64decode(attrs["s"]), int(attrs["i"])
        if not nonce.startswith(CLIENT_NONCE):
            raise RuntimeError("server nonce does not extend the client nonce")
        self.salted = hashlib.pbkdf2_hmac("sha256", self.password, salt, iterations)
        without_proof = f"c=biws,r={nonce}"
        self.auth_message = f"{self.client_first_bare},{server_first},{without_proof}"
        client_key = hmac.digest(self.salted, b"Client Key", "sha256")
        stored_key = hashlib.sha256(client_key).digest()
        signature = hmac.digest(stored_key, self.auth_message.encode(), "sha256")
        proof = bytes(a ^ b for a, b in zip(client_key, signature))
        return f"{without_proof},p={base64.b64encode(proof).decode()}"

    def verify_server_final(self, server_final: str) -> None:
        server_key = hmac.digest(self.salted, b"Server Key", "sha256")
        expected = hmac.digest(server_key, self.auth_message.encode(), "sha256")
        if server_final != "v=" + base64.b64encode(expected).decode():
            raise RuntimeError(f"bad server signature: {server_final}")


# ---------------------------------------------------------------------------------------------
# The throwaway cluster
# ---------------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Cluster:
    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="pgwire-fixtures-"))
        self.data = self.root / "data"
        self.port = free_port()
        self.started = False

    def run_as_postgres(self, *args: str) -> None:
        subprocess.run(
            ["runuser", "-u", "postgres", "--", *args],
            cwd=self.root,
            check=True,
            stdout=subprocess.DEVNULL,
        )

    def start(self) -> None:
        account = pwd.getpwnam("postgres")
        os.chown(self.root, account.pw_uid, account.pw_gid)
        os.chmod(self.root, 0o700)
        self.run_as_postgres(
            str(PG_BIN / "initdb"), "-D", str(self.data), "-U", ADMIN_USER, "--auth=trust",
            "-E", "UTF8", "--locale=C", "--no-sync",
        )  # fmt: skip
        with open(self.data / "postgresql.conf", "a") as conf:
            conf.write(
                "\n# pgwire-swift fixtures\n"
                "listen_addresses = '127.0.0.1'\n"
                f"port = {self.port}\n"
                f"unix_socket_directories = '{self.root}'\n"
                "password_encryption = 'scram-sha-256'\n"
                "ssl = off\n"
                "fsync = off\n"
                "lc_messages = 'C'\n"
            )
        with open(self.data / "pg_hba.conf", "w") as hba:
            hba.write(
                f"local all {ADMIN_USER} trust\n"
                f"host all {ADMIN_USER} 127.0.0.1/32 trust\n"
                f"host all {SCRAM_USER} 127.0.0.1/32 scram-sha-256\n"
                f"host all {MD5_USER} 127.0.0.1/32 md5\n"
                f"host all {CLEAR_USER} 127.0.0.1/32 password\n"
            )
        self.started = True
        self.run_as_postgres(
            str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-l", str(self.root / "server.log"),
            "-w", "start",
        )  # fmt: skip

    def stop(self) -> None:
        try:
            if self.started:
                self.run_as_postgres(
                    str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop"
                )
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

    def connect(self, unix: bool = False) -> Session:
        if unix:
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            sock.connect(str(self.root / f".s.PGSQL.{self.port}"))
        else:
            sock = socket.create_connection(("127.0.0.1", self.port))
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sock.settimeout(60)
        return Session(sock)

    def prepare(self) -> None:
        """Creates the users (the MD5 one while password_encryption=md5), the database, the enum."""
        admin = self.connect()
        check(admin.startup(ADMIN_USER, database="postgres"))
        run_ok(
            admin,
            "SET password_encryption = 'md5';"
            f"CREATE ROLE {MD5_USER} LOGIN PASSWORD '{MD5_PASSWORD}';"
            "SET password_encryption = 'scram-sha-256';"
            f"CREATE ROLE {SCRAM_USER} LOGIN PASSWORD '{SCRAM_PASSWORD}';"
            f"CREATE ROLE {CLEAR_USER} LOGIN PASSWORD '{CLEAR_PASSWORD}';",
        )
        run_ok(admin, f"CREATE DATABASE {DATABASE}")
        admin.terminate()
        admin = self.connect()
        check(admin.startup(ADMIN_USER))
        run_ok(admin, "CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy')")
        admin.terminate()


def check(error: ServerError | None) -> None:
    if error is not None:
        raise error


def require(condition: bool, problem: str) -> None:
    if not condition:
        raise RuntimeError(problem)


def run_ok(session: Session, sql: str) -> None:
    for msg in session.simple(sql):
        if msg.type == b"E":
            raise ServerError(msg.error_fields())


# ---------------------------------------------------------------------------------------------
# The sessions
# ---------------------------------------------------------------------------------------------


@dataclass
class Spec:
    name: str
    about: str
    run: Callable[[Cluster], Session]
    # Type byte of the last backend message ("" for no backend bytes at all).
    last: str = "Z"
    varies: str = "the BackendKeyData secret and process id"


def startup_scram(c: Cluster) -> Session:
    s = c.connect()
    check(s.startup(SCRAM_USER, SCRAM_PASSWORD))
    s.terminate()
    return s


def startup_md5(c: Cluster) -> Session:
    s = c.connect()
    check(s.startup(MD5_USER, MD5_PASSWORD))
    s.terminate()
    return s


def startup_cleartext(c: Cluster) -> Session:
    s = c.connect()
    check(s.startup(CLEAR_USER, CLEAR_PASSWORD))
    s.terminate()
    return s


def wrong_password(c: Cluster) -> Session:
    s = c.connect()
    error = s.startup(SCRAM_USER, "not-the-password")
    require(error is not None and error.fields["C"] == "28P01", f"expected 28P01, got {error}")
    return s


def unknown_database(c: Cluster) -> Session:
    s = c.connect()
    error = s.startup(ADMIN_USER, database="no_such_database")
    require(error is not None and error.fields["C"] == "3D000", f"expected 3D000, got {error}")
    return s


def protocol_3_2(c: Cluster) -> Session:
    s = c.connect()
    check(s.startup(ADMIN_USER, extra={"_pq_.fancy": "on"}, version=PROTOCOL_3_2))
    s.terminate()
    return s


def simple_query(c: Cluster) -> Session:
    s = c.connect()
    check(s.startup(ADMIN_USER))
    s.simple(
        "CREATE TEMP TABLE notes (id int4 PRIMARY KEY, body text, score float8);"
        "INSERT INTO notes VALUES (1, 'first', NULL), (2, NULL, 2.5);"
        "INSERT INTO notes VALUES (3, 'third', 0.5) RETURNING id, body;"
        "SELECT id, body, score FROM notes WHERE id < 3 ORDER BY id;"
    )
    s.simple("")
    s.simple(";")
    s.simple("DO $$BEGIN RAISE NOTICE 'hello from DO'; END$$")
    s.simple("BEGIN")
    s.simple("SELECT 1 / 0")
    s.simple("SELECT 1")  # refused with 25P02 while the transaction is failed
    s.simple("ROLLBACK")
    s.terminate()
    return s


def extended_binary(c: Cluster) -> Session:
    s = c.connect()
    check(s.startup(ADMIN_USER))
    s.simple("CREATE TEMP TABLE ext (id int4, label text)")
    sql = (
        "SELECT g, $1 + g AS total, $2 || '-' || g AS label, $3 * g AS scaled "
        "FROM generate_series(1, 3) AS g"
    )
    s.send("Parse", parse("s1", sql, (INT4_OID, TEXT_OID, NUMERIC_OID)))
    s.send("Describe(S)", describe("S", "s1"))
    s.send("Flush", FLUSH)
    s.read_until(b"T")
    # numeric 2.50 in binary: ndigits 2, weight 0, sign +, dscale 2, base-10000 digits 2, 5000.
    numeric_2_50 = struct.pack("!hhHhhh", 2, 0, 0x0000, 2, 2, 5000)
    params = [int32(40), "wörld".encode(), numeric_2_50]
    s.send("Bind", bind("p1", "s1", [1], params, [1]))
    s.send("Execute(max 2)", execute("p1", 2))
    s.send("Execute", execute("p1", 0))
    s.send("Sync", SYNC)
    s.read_until(b"Z")
    s.send("Parse", parse("", "INSERT INTO ext VALUES ($1, $2)"))
    s.send("Describe(S)", describe("S", ""))
    s.send("Bind", bind("", "", [], [b"7", b"seven"], []))
    s.send("Execute", execute("", 0))
    s.send("Sync", SYNC)
    s.read_until(b"Z")
    s.send("Close(S)", close("S", "s1"))
    s.send("Sync", SYNC)
    s.read_until(b"Z")
    s.terminate()
    return s


TYPES_SQL = r"""SELECT
  true AS bool_true, false AS bool_false,
  '-32768'::int2 AS int2_min, '2147483647'::int4 AS int4_max,
  '-9223372036854775808'::int8 AS int8_min,
  '3.25'::float4 AS float4_value, 'NaN'::float4 AS float4_nan,
  '-Infinity'::float4 AS float4_ninf,
  '3.141592653589793'::float8 AS float8_pi, 'NaN'::float8 AS float8_nan,
  'Infinity'::float8 AS float8_inf, '-Infinity'::float8 AS float8_ninf,
  '-0'::float8 AS float8_negzero,
  '12.30'::numeric AS numeric_trailing_zero, '-0.000001'::numeric AS numeric_small,
  '0'::numeric AS numeric_zero, 'NaN'::numeric AS numeric_nan,
  'Infinity'::numeric AS numeric_inf, '-Infinity'::numeric AS numeric_ninf,
  '123456789012345678901234567890.123456789012345678901234567890'::numeric AS numeric_huge,
  '1e100'::numeric AS numeric_1e100,
  'héllo wörld ✓'::text AS text_utf8, 'varchar value'::varchar(20) AS varchar_value,
  'ab'::char(5) AS bpchar_padded, 'pg_catalog'::name AS name_value, 'x'::"char" AS char_value,
  '\xdeadbeef00'::bytea AS bytea_value,
  'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid AS uuid_value,
  '2024-02-29'::date AS date_leap, '1999-12-31'::date AS date_before_2000,
  'infinity'::date AS date_inf, '-infinity'::date AS date_ninf,
  '13:45:30.123456'::time AS time_value, '13:45:30.5+02:30'::timetz AS timetz_value,
  '2024-02-29 13:45:30.123456'::timestamp AS timestamp_value,
  '1970-01-01 00:00:00'::timestamp AS timestamp_unix_epoch,
  'infinity'::timestamp AS timestamp_inf,
  '2024-02-29 13:45:30.123456+01'::timestamptz AS timestamptz_value,
  '-infinity'::timestamptz AS timestamptz_ninf,
  '1 year 2 mons 3 days 04:05:06.789'::interval AS interval_value,
  '-1 days -00:00:01'::interval AS interval_negative,
  '{"a": [1, 2.5, null], "b": "ü"}'::json AS json_value,
  '{"a": [1, 2.5, null], "b": "ü"}'::jsonb AS jsonb_value,
  '4294967295'::oid AS oid_max,
  '192.168.0.1/24'::inet AS inet_v4, '2001:db8::1'::inet AS inet_v6,
  '10.0.0.0/8'::cidr AS cidr_v4,
  '{1,NULL,3}'::int4[] AS int4_array,
  '[0:1][1:2]={{a,"b c"},{NULL,d}}'::text[] AS text_array_2d,
  'happy'::mood AS enum_value,
  NULL::int4 AS null_int4"""


def types_session(result_format: int) -> Callable[[Cluster], Session]:
    def run(c: Cluster) -> Session:
        s = c.connect()
        check(s.startup(ADMIN_USER, extra={"TimeZone": "UTC"}))
        s.send("Parse", parse("", TYPES_SQL))
        s.send("Bind", bind("", "", [], [], [result_format]))
        s.send("Describe(P)", describe("P", ""))
        s.send("Execute", execute("", 0))
        s.send("Sync", SYNC)
        for msg in s.read_until(b"Z"):
            if msg.type == b"E":
                raise ServerError(msg.error_fields())
        s.terminate()
        return s

    return run


def copy_in(c: Cluster) -> Session:
    s = c.connect()
    check(s.startup(ADMIN_USER))
    s.simple("CREATE TEMP TABLE items (id int4, name text, price numeric)")
    s.send("Query", query("COPY items FROM STDIN"))
    s.read_until(b"G")
    # Chunks need not follow row boundaries; the second splits a row in the middle.
    s.send("CopyData", copy_data(b"1\tapple\t1.50\n2\tbanana\t"))
    s.send("CopyData", copy_data(b"0.25\n3\t\\N\t2\n"))
    s.send("CopyDone", COPY_DONE)
    s.read_until(b"Z")
    s.send("Query", query("COPY items FROM STDIN"))
    s.read_until(b"G")
    s.send("CopyData", copy_data(b"4\tdurian\t9.99\n"))
    s.send("CopyFail", copy_fail("client changed its mind"))
    s.read_until(b"Z")
    s.simple("SELECT count(*) FROM items")
    s.terminate()
    return s


def copy_out(c: Cluster) -> Session:
    s = c.connect()
    check(s.startup(ADMIN_USER))
    source = (
        "SELECT g AS id, 'row ' || g AS name, CASE WHEN g = 2 THEN NULL ELSE g * 1.5 END AS price "
        "FROM generate_series(1, 3) AS g"
    )
    s.simple(f"COPY ({source}) TO STDOUT (FORMAT binary)")
    s.simple(f"COPY ({source}) TO STDOUT")
    s.terminate()
    return s


def pipeline_error(c: Cluster) -> Session:
    s = c.connect()
    check(s.startup(ADMIN_USER))
    statements = [
        "SELECT 1 AS one",
        "SELECT 2 AS two",
        "SELECT 10 / (3 - g) AS boom FROM generate_series(1, 5) AS g",  # fails on the 3rd row
        "SELECT 4 AS four",
        "SELECT 5 AS five",
    ]
    for sql in statements:
        s.send("Parse", parse("", sql))
        s.send("Bind", bind("", "", [], [], [1]))
        s.send("Execute", execute("", 0))
    s.send("Sync", SYNC)
    s.read_until(b"Z")
    s.simple("SELECT 'still usable' AS after")
    s.terminate()
    return s


def notify(c: Cluster) -> Session:
    s = c.connect()
    check(s.startup(ADMIN_USER))
    s.simple("LISTEN ch")
    s.simple("NOTIFY ch, 'payload'")
    s.simple("SET application_name = 'renamed-fixture'")
    s.terminate()
    return s


# The CancelRequest connection of `cancelled-query`, kept for the `cancel` session.
CANCELLER: dict[str, Session] = {}


def cancelled_query(c: Cluster) -> Session:
    s = c.connect()
    check(s.startup(ADMIN_USER))
    s.send("Query", query("SELECT pg_sleep(30)"))
    time.sleep(0.5)  # let the statement start before the cancel arrives
    require(s.backend_key is not None, "no BackendKeyData")
    pid, secret = s.backend_key
    canceller = c.connect()
    canceller.send(
        "CancelRequest", startup_family(CANCEL_REQUEST_CODE, int32(pid) + int32(secret))
    )
    canceller.read_to_eof()  # the server answers nothing and closes
    CANCELLER["session"] = canceller
    codes = [m.error_fields().get("C") for m in s.read_until(b"Z") if m.type == b"E"]
    require(codes == ["57014"], f"expected one 57014 error, got {codes}")
    s.terminate()
    return s


def cancel(c: Cluster) -> Session:
    """The CancelRequest connection opened by `cancelled-query`, which must run first."""
    return CANCELLER["session"]


def ssl_request(c: Cluster) -> Session:
    s = c.connect()
    s.send("SSLRequest", startup_family(SSL_REQUEST_CODE))
    require(s.read_single_byte() == b"N", "SSLRequest was not refused")
    check(s.startup(ADMIN_USER))
    s.terminate()
    return s


def gssenc_request(c: Cluster) -> Session:
    # Over TCP a server built with GSSAPI (Debian's is) answers 'G'; over a Unix socket it
    # always answers 'N', which is the case we record.
    s = c.connect(unix=True)
    s.send("GSSENCRequest", startup_family(GSSENC_REQUEST_CODE))
    require(s.read_single_byte() == b"N", "GSSENCRequest was not refused")
    check(s.startup(ADMIN_USER))
    s.terminate()
    return s


SESSIONS = [
    Spec("startup-scram", "Connects as a SCRAM-SHA-256 user (password `scram-secret`, client nonce "
         f"`{CLIENT_NONCE}`, no channel binding), sends user, database, application_name and "
         "client_encoding, completes the SASL exchange, waits for ReadyForQuery and terminates.",
         startup_scram,
         varies="the SCRAM server nonce, salt, proof and signature, and the BackendKeyData"),
    Spec("startup-md5", "Connects as a user whose password (`md5-secret`) is stored as an MD5 hash "
         "and whose pg_hba.conf method is md5; the client answers the salt with "
         "`md5` + md5(md5(password + user) + salt) and terminates once ready.",
         startup_md5,
         varies="the 4-byte MD5 salt and so the hashed password, and the BackendKeyData"),
    Spec("startup-cleartext", "Connects as a user whose pg_hba.conf method is `password`; the client "
         "sends `clear-secret` in a PasswordMessage and terminates once ready.", startup_cleartext),
    Spec("wrong-password", "Starts a SCRAM exchange with a wrong password; the server rejects the "
         "proof with a FATAL ErrorResponse (28P01) instead of AuthenticationSASLFinal and closes.",
         wrong_password, last="E", varies="the SCRAM server nonce and salt, and the client proof"),
    Spec("unknown-database", "Connects as the trust-authenticated admin to a database that does not "
         "exist: authentication succeeds, then a FATAL ErrorResponse (3D000) and the server closes.",
         unknown_database, last="E", varies="nothing"),
    Spec("protocol-3.2", "Sends a StartupMessage with protocol version 3.2 (196610) and an unknown "
         "`_pq_.fancy` option; PostgreSQL 15 answers NegotiateProtocolVersion, whose first field is "
         "the whole version it will speak, 196608 (3.0; not a bare minor number 0, as older manuals "
         "say), followed by the option it did not recognise, and then goes on at 3.0 as usual.",
         protocol_3_2),
    Spec("simple-query", "Simple query protocol: one Query holding a CREATE TEMP TABLE, two INSERTs "
         "(the second with RETURNING) and a SELECT of two rows with NULLs; then the empty Query `` and "
         "the Query `;` (each EmptyQueryResponse); a DO block that RAISEs a NOTICE; BEGIN; `SELECT 1 / 0` "
         "(22012, ReadyForQuery E); `SELECT 1` refused in the failed transaction (25P02); ROLLBACK.",
         simple_query),
    Spec("extended-binary", "Extended query protocol: Parse of named statement `s1` with parameter "
         "types int4/text/numeric, Describe statement and Flush (ParameterDescription, RowDescription "
         "arrive without Sync); Bind of portal `p1` with binary parameters (40, `wörld`, numeric 2.50) "
         "and binary results; Execute with max 2 rows (PortalSuspended), Execute again, Sync; then an "
         "unnamed INSERT described as NoData and run with text parameters; Close statement `s1`.",
         extended_binary),
    Spec("types-binary", "One SELECT with a column per interesting value of bool, int2/4/8, float4/8 "
         "(NaN, ±Infinity, -0), numeric (12.30, -0.000001, 0, NaN, ±Infinity, a huge value, 1e100), "
         "text, varchar, bpchar, name, \"char\", bytea, uuid, date (±infinity, before 2000), time, "
         "timetz, timestamp, timestamptz (TimeZone=UTC from the startup packet), interval, json, jsonb, "
         "oid, inet v4/v6, cidr, int4[] with NULL, a 2-D text[] with bounds [0:1][1:2], an enum, and a "
         "NULL; unnamed statement, results requested in binary (format 1).", types_session(1)),
    Spec("types-text", "The same SELECT as types-binary with results requested in text (format 0).",
         types_session(0)),
    Spec("copy-in", "COPY items FROM STDIN in text format: CopyInResponse, two CopyData chunks (the "
         "second splits a row), CopyDone, `COPY 3`; then a second COPY that the client aborts with "
         "CopyFail (57014); then a count showing the aborted rows are absent.", copy_in),
    Spec("copy-out", "COPY (SELECT ...) TO STDOUT, first in binary format (header, tuples, trailer "
         "in CopyData) and then in text format (one CopyData per row).", copy_out),
    Spec("pipeline-error", "Five Parse/Bind/Execute groups behind one Sync; the third fails with "
         "division by zero after two rows, so the server skips the fourth and fifth and answers only "
         "ReadyForQuery at the Sync; a later Query shows the connection is usable.", pipeline_error),
    Spec("notify", "LISTEN ch, then NOTIFY ch, 'payload' from the same session (NotificationResponse "
         "before ReadyForQuery), then SET application_name, which the server reports with a "
         "ParameterStatus mid-session.", notify,
         varies="the BackendKeyData and the process id inside NotificationResponse"),
    Spec("cancelled-query", "Runs `SELECT pg_sleep(30)` and cancels it from a second connection with "
         "the CancelRequest stored in `cancel/`; the query fails with 57014 and the connection stays "
         "usable.", cancelled_query),
    Spec("cancel", "The 16-byte CancelRequest (length 16, code 80877102, process id, secret key) sent "
         "on its own connection to cancel the query of `cancelled-query`, whose BackendKeyData it "
         "repeats. The server answers nothing and closes, so backend.bin is empty.",
         cancel, last="", varies="the process id and secret key"),
    Spec("ssl-request", "SSLRequest to a server with ssl=off: the single unframed byte `N`, then the "
         "StartupMessage on the same plaintext connection.", ssl_request),
    Spec("gssenc-request", "GSSENCRequest over the Unix socket (a server built with GSSAPI would "
         "answer `G` over TCP): the single unframed byte `N`, then a plaintext startup.",
         gssenc_request),
]  # fmt: skip


# ---------------------------------------------------------------------------------------------
# Writing and checking the files
# ---------------------------------------------------------------------------------------------


def collapse(labels: list[str]) -> str:
    """Joins labels, folding runs of the same one into `Label ×n`."""
    out: list[str] = []
    i = 0
    while i < len(labels):
        j = i
        while j < len(labels) and labels[j] == labels[i]:
            j += 1
        out.append(labels[i] if j - i == 1 else f"{labels[i]} ×{j - i}")
        i = j
    return ", ".join(out) if out else "(nothing)"


def write_session(spec: Spec, session: Session) -> None:
    folder = SESSIONS_DIR / spec.name
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "frontend.bin").write_bytes(bytes(session.sent))
    (folder / "backend.bin").write_bytes(bytes(session.received))
    readme = (
        f"# {spec.name}\n\n"
        f"{spec.about} Recorded against PostgreSQL 15 by `Scripts/capture-fixtures.py`; "
        f"between runs only {spec.varies} change.\n\n"
        f"F: {collapse(session.sent_names)}\n\n"
        f"B: {collapse(session.received_labels)}\n"
    )
    (folder / "README.md").write_text(readme)


SCRAM_CRAFTED = {
    # name: (server-first, server-final); the nonce prefix is CLIENT_NONCE.
    "server-error": (f"r={CLIENT_NONCE}c2VydmVy,s=c2FsdHNhbHQ=,i=4096", "e=invalid-proof"),
    "nonce-mismatch": ("r=someoneElsesNonce,s=c2FsdHNhbHQ=,i=4096", ""),
    "mandatory-extension": (f"m=ext,r={CLIENT_NONCE}c2VydmVy,s=c2FsdHNhbHQ=,i=4096", ""),
    "zero-iterations": (f"r={CLIENT_NONCE}c2VydmVy,s=c2FsdHNhbHQ=,i=0", "v=AAAA"),
    "bad-salt": (f"r={CLIENT_NONCE}c2VydmVy,s=!!notbase64,i=4096", ""),
    "bad-signature": (
        f"r={CLIENT_NONCE}c2VydmVy,s=c2FsdHNhbHQ=,i=4096",
        "v=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
    ),
    "server-final-extension": (f"r={CLIENT_NONCE}c2VydmVy,s=c2FsdHNhbHQ=,i=4096", "v=AAAA,x=ext"),
}


def write_fuzz(sessions: dict[str, Session]) -> None:
    for corpus in ("decoder", "statemachine", "scram"):
        folder = FUZZ_DIR / corpus
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.glob("*.bin"):
            old.unlink()
    for name, session in sessions.items():
        if session.received:
            for corpus in ("decoder", "statemachine"):
                (FUZZ_DIR / corpus / f"{name}.bin").write_bytes(bytes(session.received))
        if session.scram_texts:
            first = session.scram_texts[0]
            final = session.scram_texts[1] if len(session.scram_texts) > 1 else ""
            (FUZZ_DIR / "scram" / f"{name}.bin").write_bytes(f"{first}\0{final}".encode())
    for name, (first, final) in SCRAM_CRAFTED.items():
        (FUZZ_DIR / "scram" / f"{name}.bin").write_bytes(f"{first}\0{final}".encode())


def check_frontend(name: str, data: bytes) -> list[str]:
    """Frontend stream: startup-family packets until the StartupMessage, then framed messages."""
    problems, offset, in_startup = [], 0, True
    while offset < len(data):
        if in_startup:
            if len(data) - offset < 8:
                return problems + [f"{name}: short startup packet at {offset}"]
            length, code = struct.unpack("!ii", data[offset : offset + 8])
            if code in (PROTOCOL_3_0, PROTOCOL_3_2):
                in_startup = False
            elif code not in (SSL_REQUEST_CODE, GSSENC_REQUEST_CODE, CANCEL_REQUEST_CODE):
                return problems + [f"{name}: unknown startup code {code}"]
            offset += length
            continue
        if data[offset] not in FRONTEND_TYPES:
            return problems + [f"{name}: unknown frontend type {data[offset:offset + 1]!r}"]
        length = struct.unpack("!i", data[offset + 1 : offset + 5])[0]
        offset += 1 + length
    if offset != len(data):
        problems.append(f"{name}: frontend overruns its end")
    return problems


def check_backend(spec: Spec, data: bytes) -> list[str]:
    """Backend stream: an optional one-byte SSL/GSS answer, then whole messages to the end."""
    if spec.name in ("ssl-request", "gssenc-request"):
        if data[:1] != b"N":
            return [f"{spec.name}: expected the byte N first"]
        data = data[1:]
    try:
        messages, tail = split_messages(data)
    except ValueError as error:
        return [f"{spec.name}: {error}"]
    if tail:
        return [f"{spec.name}: {len(tail)} trailing bytes"]
    unknown = [m.type for m in messages if m.type not in BACKEND_NAMES]
    if unknown:
        return [f"{spec.name}: unknown backend types {unknown}"]
    last = messages[-1].type.decode() if messages else ""
    if last != spec.last:
        return [f"{spec.name}: ends with {last!r}, expected {spec.last!r}"]
    return []


def check_cancel_key() -> list[str]:
    """`cancel/frontend.bin` must repeat the BackendKeyData of `cancelled-query`."""
    packet = (SESSIONS_DIR / "cancel" / "frontend.bin").read_bytes()
    stream = (SESSIONS_DIR / "cancelled-query" / "backend.bin").read_bytes()
    keys = [m.body for m in split_messages(stream)[0] if m.type == b"K"]
    if keys != [packet[8:]]:
        return ["cancel: the CancelRequest does not repeat cancelled-query's BackendKeyData"]
    return []


def check_all() -> int:
    problems = []
    for spec in SESSIONS:
        folder = SESSIONS_DIR / spec.name
        frontend = (folder / "frontend.bin").read_bytes()
        backend = (folder / "backend.bin").read_bytes()
        problems += check_frontend(spec.name, frontend)
        problems += check_backend(spec, backend)
        print(f"{spec.name:18} frontend {len(frontend):5} bytes, backend {len(backend):5} bytes")
    problems += check_cancel_key()
    for problem in problems:
        print("PROBLEM:", problem)
    print(f"{len(SESSIONS) * 2 + 1 - len(problems)} passed, {len(problems)} failed")
    return 1 if problems else 0


def capture() -> None:
    cluster = Cluster()
    try:
        cluster.start()
        cluster.prepare()
        recorded: dict[str, Session] = {}
        for spec in SESSIONS:
            session = spec.run(cluster)
            session.sock.close()
            recorded[spec.name] = session
            write_session(spec, session)
            print(f"{spec.name:18} F {len(session.sent):5} B {len(session.received):5}")
        write_fuzz(recorded)
    finally:
        cluster.stop()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only parse the committed fixtures")
    args = parser.parse_args()
    if os.getcwd() != str(ROOT):
        os.chdir(ROOT)
    if not args.check:
        if os.geteuid() != 0:
            sys.exit("run as root: the cluster is started through runuser -u postgres")
        capture()
    return check_all()


if __name__ == "__main__":
    sys.exit(main())
