/// SASLprep (RFC 4013, a profile of stringprep, RFC 3454) of a password, exactly as PostgreSQL's
/// `pg_saslprep` does it, so that the client derives the same keys as the server did when it
/// stored the password's SCRAM verifier.
///
/// PostgreSQL's rules, which differ from a textbook SASLprep in ways that matter for matching:
/// - bytes that are all ASCII are used as they are, control characters included;
/// - bytes that are not valid UTF-8, that map to nothing at all, or that fail the prohibition or
///   bidirectional checks are used unchanged (the caller, libpq's SCRAM code, falls back to the
///   raw password rather than failing);
/// - the prohibition and bidirectional checks look at the mapped string *before* NFKC, as
///   `pg_saslprep` does, not at the normalized output.
///
/// libpq also gives up on passwords over 1024 bytes; this does not, since the server could not have
/// stored a verifier for one made from such a password.
enum SASLprep {
    /// The password bytes to feed to PBKDF2.
    static func prepare(_ password: [UInt8]) -> [UInt8] {
        if password.allSatisfy({ $0 < 0x80 }) {
            return password
        }
        return normalized(password) ?? password
    }

    /// The SASLprep'd bytes, or `nil` where `pg_saslprep` reports invalid UTF-8 or a prohibited
    /// string.
    static func normalized(_ bytes: [UInt8]) -> [UInt8]? {
        guard let scalars = decodeUTF8(bytes) else { return nil }

        // 1. Map: non-ASCII spaces to U+0020, "commonly mapped to nothing" to nothing.
        var mapped: [Unicode.Scalar] = []
        mapped.reserveCapacity(scalars.count)
        for scalar in scalars {
            if contains(SASLprepTables.nonASCIISpace, scalar) {
                mapped.append(" ")
            } else if !contains(SASLprepTables.mappedToNothing, scalar) {
                mapped.append(scalar)
            }
        }
        guard let first = mapped.first, let last = mapped.last else { return nil }

        // 3. Prohibit, and 4. bidirectional rules — on the mapped string, as pg_saslprep does.
        for scalar in mapped {
            if contains(SASLprepTables.prohibitedOutput, scalar)
                || contains(SASLprepTables.unassigned, scalar)
            {
                return nil
            }
        }
        if mapped.contains(where: { contains(SASLprepTables.randALCat, $0) }) {
            if mapped.contains(where: { contains(SASLprepTables.lCat, $0) }) {
                return nil
            }
            guard contains(SASLprepTables.randALCat, first),
                contains(SASLprepTables.randALCat, last)
            else {
                return nil
            }
        }

        // 2. Normalize with NFKC.
        return UnicodeNFKC.utf8(normalizing: mapped)
    }

    /// Decodes strict UTF-8 (no overlong forms, surrogates or values past U+10FFFF), or `nil`.
    static func decodeUTF8(_ bytes: [UInt8]) -> [Unicode.Scalar]? {
        var scalars: [Unicode.Scalar] = []
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar): scalars.append(scalar)
            case .emptyInput: return scalars
            case .error: return nil
            }
        }
    }

    /// Binary search in a flat table of inclusive ranges (`first, last, first, last, …`).
    static func contains(_ table: [UInt32], _ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        var low = 0
        var high = table.count / 2
        while low < high {
            let middle = (low + high) / 2
            if value < table[2 * middle] {
                high = middle
            } else if value > table[2 * middle + 1] {
                low = middle + 1
            } else {
                return true
            }
        }
        return false
    }
}
