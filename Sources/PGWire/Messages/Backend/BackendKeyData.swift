import NIOCore

extension BackendMessage {
    /// `K`: the key a client needs to cancel queries running on this connection.
    ///
    /// Protocol 3.0 servers send a 4-byte secret; protocol 3.2 (PostgreSQL 18) allows up to 256.
    public struct BackendKeyData: Hashable, Sendable {
        /// The process ID of the backend serving this connection.
        public var processID: Int32
        /// The secret key, 4 to 256 bytes.
        public var secretKey: [UInt8]

        /// The largest secret key protocol 3.2 allows.
        public static let maximumSecretKeyLength = 256

        /// Creates key data from a process ID and a secret key.
        public init(processID: Int32, secretKey: [UInt8]) {
            self.processID = processID
            self.secretKey = secretKey
        }
    }
}

extension BackendMessage.BackendKeyData: BackendMessagePayload {

    static func decode(from reader: inout MessageReader) throws(PGWireError) -> Self {
        let processID = try reader.readInt32("processID")
        let count = reader.remaining
        guard count >= 4, count <= maximumSecretKeyLength else {
            throw reader.error(.invalidValue("secret key of \(count) bytes"), "secretKey")
        }
        let key = reader.readRest()
        return Self(processID: processID, secretKey: Array(key.readableBytesView))
    }

    func encodeBody(into buffer: inout ByteBuffer) {
        buffer.writeInteger(processID)
        buffer.writeBytes(secretKey)
    }
}
