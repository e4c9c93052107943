import NIOCore

extension BackendMessage {
    /// `S`: the current value of a run-time parameter the client should know
    /// (`server_version`, `TimeZone`, `client_encoding`, `in_hot_standby`, …).
    public struct ParameterStatus: Hashable, Sendable {
        /// The parameter's name.
        public var name: String
        /// Its value.
        public var value: String

        /// Creates a parameter status.
        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }
}

extension BackendMessage.ParameterStatus: BackendMessagePayload {

    static func decode(from reader: inout MessageReader) throws(PGWireError) -> Self {
        Self(name: try reader.readCString("name"), value: try reader.readCString("value"))
    }

    func encodeBody(into buffer: inout ByteBuffer) {
        for string in [name, value] {
            buffer.writeString(string)
            buffer.writeInteger(UInt8(0))
        }
    }
}
