import NIOCore

extension BackendMessage {
    /// `C`: a command finished. The tag names the command and, for most, how many rows it touched.
    ///
    /// ```swift
    /// let done = BackendMessage.CommandComplete(tag: "INSERT 0 3")
    /// done.command   // "INSERT"
    /// done.rowCount  // 3
    /// ```
    public struct CommandComplete: Hashable, Sendable {
        /// The command tag as sent (`"SELECT 5"`, `"INSERT 0 1"`, `"CREATE TABLE"`).
        public var tag: String

        /// Creates the message from a command tag.
        public init(tag: String) { self.tag = tag }

        /// The command's name: the tag's first word (`"INSERT"`, `"CREATE"`).
        public var command: Substring {
            tag.prefix(while: { $0 != " " })
        }

        /// The affected or returned row count, for commands that report one (SELECT, INSERT,
        /// UPDATE, DELETE, MERGE, MOVE, FETCH, COPY); `nil` for the others.
        public var rowCount: Int64? {
            let words = tag.split(separator: " ", omittingEmptySubsequences: false)
            guard let first = words.first else { return nil }
            switch first {
            case "INSERT":
                // "INSERT oid rows": the oid is always 0 since PostgreSQL 12.
                guard words.count == 3 else { return nil }
                return Int64(words[2])
            case "SELECT", "UPDATE", "DELETE", "MERGE", "MOVE", "FETCH", "COPY":
                guard words.count == 2 else { return nil }
                return Int64(words[1])
            default:
                return nil
            }
        }
    }
}

extension BackendMessage.CommandComplete: BackendMessagePayload {

    static func decode(from reader: inout MessageReader) throws(PGWireError) -> Self {
        let tag = try reader.readCString("tag")
        return Self(tag: tag)
    }

    func encodeBody(into buffer: inout ByteBuffer) {
        buffer.writeString(tag)
        buffer.writeInteger(UInt8(0))
    }
}
