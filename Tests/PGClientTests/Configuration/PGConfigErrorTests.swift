import Testing

@testable import PGClient

@Suite("PGConfigError")
struct ConfigErrorTests {
    /// Every malformed string or bad value, and the key its error must name.
    @Test(arguments: [
        // libpq's URI test failures (001_uri.pl).
        ("postgresql://host/db?u%7aer=someotheruser&port=12345", "uzer"),
        ("postgresql://host?uzer=", "uzer"),
        ("postgres://[::1", "host"),
        ("postgres://[]", "host"),
        ("postgres://[::1]z", "host"),
        ("postgresql://host?zzz", "zzz"),
        ("postgresql://host?value1&value2", "value1"),
        ("postgresql://host?key=key=value", "key"),
        ("postgres://host?dbname=%XXfoo", "dbname"),
        ("postgresql://a%00b", "host"),
        ("postgresql://%zz", "host"),
        ("postgresql://%1", "host"),
        ("postgresql://%", "host"),
        ("postgresql://host/%FF", "dbname"),
        ("postgre://", "postgre://"),
        // Bad values.
        ("postgresql://host:abc", "port"),
        ("postgresql://host:0", "port"),
        ("postgresql://host:65536", "port"),
        ("port=-1", "port"),
        ("host=a,b,c port=1,2", "port"),
        ("host=a,b hostaddr=10.0.0.1", "hostaddr"),
        ("hostaddr=db.example.com", "hostaddr"),
        ("sslmode=bogus", "sslmode"),
        ("sslmode=VERIFY-FULL", "sslmode"),
        ("sslrootcert=system sslmode=require", "sslmode"),
        ("connect_timeout=-1", "connect_timeout"),
        ("connect_timeout=ten", "connect_timeout"),
        ("target_session_attrs=primaryish", "target_session_attrs"),
        ("load_balance_hosts=roundrobin", "load_balance_hosts"),
        ("channel_binding=maybe", "channel_binding"),
        ("require_auth=md5,!password", "require_auth"),
        ("require_auth=md5,md5", "require_auth"),
        ("require_auth=kerberos", "require_auth"),
        ("require_auth=md5,", "require_auth"),
        ("sslsni=yes", "sslsni"),
        ("keepalives=2", "keepalives"),
        ("keepalives_idle=-5", "keepalives_idle"),
        ("keepalives_count=x", "keepalives_count"),
        ("service=foo", "service"),
        ("host localhost", "host"),
        ("options='unterminated", "options"),
    ])
    func namesTheKey(_ connectionString: String, key: String) throws {
        let error = try #require(parseError(connectionString))
        #expect(error.key == key)
        #expect(String(describing: error).contains("\"\(key)\""))
    }

    static let secret = "s3cr3t-PW"

    /// Strings holding a password and a mistake; no error may show the password or part of it.
    @Test(arguments: [
        "postgresql://app:s3cr3t-PW@host:abc/db",
        "postgresql://app:s3cr3t-PW@host:0/db",
        "postgresql://app:s3cr3t-PW@[::1/db",
        "postgresql://app:s3cr3t-PW%zz@host/db",
        "postgresql://app:s3cr3t-PW%00@host/db",
        "postgresql://app:s3cr3t-PW@host/db?port=x",
        "postgresql://app:s3cr3t-PW@host/db?bogus=1",
        "postgresql://app:s3cr3t/PW@host/db",
        "postgresql://app:s3cr3t?PW@host/db",
        "postgresql://app:s3cr3t-PW:x@h:y/db",
        "postgresql://h?password=s3cr3t-PW=x",
        "postgresql://h?password=s3cr3t-PW%zz",
        "postgresql://h?sslpassword=s3cr3t-PW%zz",
        "user=app password=s3cr3t-PW port=abc",
        "user=app password=s3cr3t-PW sslmode=nope",
        "user=app password='s3cr3t-PW",
        "user=app password=s3cr3t-PW s3cr3t-PW dbname=x",
        "user=app password=s3cr3t-PW s3cr3t-PW=x",
        "user=app sslpassword=s3cr3t-PW s3cr3t-PW",
        "password = s3cr3t-PW s3cr3t-PW",
    ])
    func neverShowsThePassword(_ connectionString: String) throws {
        let error = try #require(parseError(connectionString))
        for text in [
            String(describing: error), String(reflecting: error), "\(error.reason)", error.key,
        ] {
            #expect(!text.contains("s3cr3t"), "\(text)")
            #expect(!text.contains("PW"), "\(text)")
        }
    }

    @Test func environmentAndOverridePasswordsNeverShown() throws {
        let fromEnvironment = try #require(
            parseError("", environment: ["PGPASSWORD": Self.secret, "PGPORT": "x"]))
        #expect(!String(describing: fromEnvironment).contains(Self.secret))
        let fromOverride = try #require(parseError("port=x", overrides: ["password": Self.secret]))
        #expect(!String(describing: fromOverride).contains(Self.secret))
    }

    @Test func describesSourceAndValue() throws {
        let error = try #require(parseError("sslmode=bogus"))
        #expect(
            error.reason
                == .invalidValue(
                    "bogus",
                    expected: "one of disable, allow, prefer, require, verify-ca, verify-full"))
        #expect(error.source == .connectionString)
        #expect(
            error.description
                == #"invalid value "bogus" for connection option "sslmode": expected one of disable, allow, prefer, require, verify-ca, verify-full"#
        )
        let ipv6 = try #require(parseError("postgres://[::1]z"))
        #expect(ipv6.description.contains("position 17"))
        // After a quoted password, a bad key is an ordinary mistake and is named.
        let afterQuoted = try #require(parseError("password='\(Self.secret)' bogus=1"))
        #expect(afterQuoted == PGConfigError(key: "bogus", reason: .unknownKey))
        let afterUnquoted = try #require(parseError("password=\(Self.secret) bogus=1"))
        #expect(afterUnquoted.key == "password")
        let unknown = try #require(parseError("hots=x"))
        #expect(unknown == PGConfigError(key: "hots", reason: .unknownKey))
        #expect(unknown.description == #"unknown connection option "hots""#)
    }
}
