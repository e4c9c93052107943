import NIOCore

extension BackendMessage {
    /// `v`: the server does not support the requested minor protocol version, or some `_pq_.`
    /// protocol options of the StartupMessage.
    public struct NegotiateProtocolVersion: Hashable, Sendable {
        /// The newest minor protocol version the server supports for the requested major version.
        public var newestMinorVersion: Int32
        /// The protocol options the server did not recognize.
        public var unrecognizedOptions: [String]

        /// Creates the message.
        public init(newestMinorVersion: Int32, unrecognizedOptions: [String]) {
            self.newestMinorVersion = newestMinorVersion
            self.unrecognizedOptions = unrecognizedOptions
        }
    }
}

extension BackendMessage.NegotiateProtocolVersion: BackendMessagePayload {

    static func decode(from reader: inout MessageReader) throws(PGWireError) -> Self {
        let minor = try reader.readInt32("newestMinorVersion")
        let count = try reader.readInt32("optionCount")
        guard count >= 0 else { throw reader.error(.invalidValue("negative count \(count)"), "optionCount") }
        try reader.checkCount(Int(count), minimumSize: 1, "options")
        var options: [String] = []
        options.reserveCapacity(Int(count))
        for _ in 0..<count {
            options.append(try reader.readCString("option"))
        }
        return Self(newestMinorVersion: minor, unrecognizedOptions: options)
    }

    func encodeBody(into buffer: inout ByteBuffer) {
        buffer.writeInteger(newestMinorVersion)
        buffer.writeInteger(Int32(truncatingIfNeeded: unrecognizedOptions.count))
        for option in unrecognizedOptions {
            buffer.writeString(option)
            buffer.writeInteger(UInt8(0))
        }
    }
}
