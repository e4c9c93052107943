import NIOCore

extension BackendMessage {
    /// `v`: the server does not support the requested minor protocol version, or some `_pq_.`
    /// protocol options of the StartupMessage.
    public struct NegotiateProtocolVersion: Hashable, Sendable {
        /// The newest protocol version the server supports for the requested major version.
        ///
        /// The manual calls the field "newest minor version", but servers send the whole version
        /// code (PostgreSQL 15 sends 196608, that is 3.0; see the `protocol-3.2` fixture).
        public var newestVersion: ProtocolVersion
        /// The protocol options the server did not recognize.
        public var unrecognizedOptions: [String]

        /// Creates the message.
        public init(newestVersion: ProtocolVersion, unrecognizedOptions: [String]) {
            self.newestVersion = newestVersion
            self.unrecognizedOptions = unrecognizedOptions
        }
    }
}

extension BackendMessage.NegotiateProtocolVersion: BackendMessagePayload {

    static func decode(from reader: inout MessageReader) throws(PGWireError) -> Self {
        let version = ProtocolVersion(code: try reader.readInt32("newestVersion"))
        let count = try reader.readInt32("optionCount")
        guard count >= 0 else { throw reader.error(.invalidValue("negative count \(count)"), "optionCount") }
        try reader.checkCount(Int(count), minimumSize: 1, "options")
        var options: [String] = []
        options.reserveCapacity(Int(count))
        for _ in 0..<count {
            options.append(try reader.readCString("option"))
        }
        return Self(newestVersion: version, unrecognizedOptions: options)
    }

    func encodeBody(into buffer: inout ByteBuffer) {
        buffer.writeInteger(newestVersion.code)
        buffer.writeInteger(Int32(truncatingIfNeeded: unrecognizedOptions.count))
        for option in unrecognizedOptions {
            buffer.writeString(option)
            buffer.writeInteger(UInt8(0))
        }
    }
}
