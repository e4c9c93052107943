import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A password file (`~/.pgpass`, `PGPASSFILE` or the `passfile` option): lines of
/// `hostname:port:database:username:password`.
///
/// A field of exactly `*` matches anything; `\:` and `\\` stand for `:` and `\` in every field.
/// Lines starting with `#` are comments. The first line that matches wins. As in libpq, the file
/// is ignored (with a warning) when it is not a plain file or when its group or others have any
/// permission, since it holds passwords.
///
/// ```text
/// # hostname:port:database:username:password
/// db.example.com:5432:ledger:app:s3cr3t
/// *:*:*:readonly:an\:other
/// ```
struct PGPassFile: Hashable, Sendable, CustomStringConvertible {
    /// One field of a line: a wildcard or a literal.
    enum Field: Hashable, Sendable {
        case any
        case literal(String)

        func matches(_ value: String) -> Bool {
            switch self {
            case .any: true
            case .literal(let literal): literal == value
            }
        }
    }

    /// One line of the file.
    struct Entry: Hashable, Sendable {
        var host: Field
        var port: Field
        var database: Field
        var user: Field
        var password: String
    }

    var entries: [Entry]

    /// The entries, never the passwords.
    var description: String {
        "PGPassFile(\(entries.count) entries)"
    }

    /// Parses the text of a password file; lines with fewer than five fields are skipped.
    init(parsing text: String) {
        entries = text.split(omittingEmptySubsequences: true, whereSeparator: \.isNewline)
            .compactMap {
                line in
                line.hasPrefix("#") ? nil : Self.entry(line)
            }
    }

    private static func entry(_ line: Substring) -> Entry? {
        var fields: [Field] = []
        var current = ""
        var isEscapedOrLonger = false
        var iterator = line.makeIterator()
        while fields.count < 4, let character = iterator.next() {
            switch character {
            case "\\":
                if let next = iterator.next() { current.append(next) }
                isEscapedOrLonger = true
            case ":":
                fields.append(current == "*" && !isEscapedOrLonger ? .any : .literal(current))
                current = ""
                isEscapedOrLonger = false
            default:
                current.append(character)
            }
        }
        guard fields.count == 4 else { return nil }
        // The password runs to the end of the line or to an unescaped colon.
        var password = ""
        while let character = iterator.next(), character != ":" {
            if character == "\\" {
                if let next = iterator.next() { password.append(next) }
            } else {
                password.append(character)
            }
        }
        return Entry(
            host: fields[0], port: fields[1], database: fields[2], user: fields[3],
            password: password)
    }

    /// The password of the first entry matching a connection, if any.
    ///
    /// - Parameter host: the host name as libpq matches it: `localhost` for the default socket
    ///   directory (see ``PGConfig/Context/pgpassHostName(for:)``).
    func password(host: String, port: Int, database: String, user: String) -> String? {
        let port = String(port)
        return entries.first {
            $0.host.matches(host) && $0.port.matches(port) && $0.database.matches(database)
                && $0.user.matches(user)
        }?.password
    }

    /// Reads a password file.
    ///
    /// - Returns: the file, or `nil` when it does not exist or is unreadable, and a warning when
    ///   the file exists but is ignored for its type or permissions.
    static func load(path: String) -> (file: PGPassFile?, warning: String?) {
        // stat, not lstat: like libpq, follow a symbolic link to the file it names.
        var status = stat()
        guard stat(path, &status) == 0 else { return (nil, nil) }
        guard status.st_mode & S_IFMT == S_IFREG else {
            return (nil, "password file \"\(path)\" is not a plain file; ignored")
        }
        let groupAndOthers = mode_t(S_IRWXG | S_IRWXO)
        if status.st_mode & groupAndOthers != 0 {
            let mode = String(status.st_mode & 0o777, radix: 8)
            return (
                nil,
                "password file \"\(path)\" has group or world access (mode \(mode)); "
                    + "permissions should be u=rw (0600) or less; ignored"
            )
        }
        guard let data = FileManager.default.contents(atPath: path) else { return (nil, nil) }
        return (PGPassFile(parsing: String(decoding: data, as: UTF8.self)), nil)
    }
}
