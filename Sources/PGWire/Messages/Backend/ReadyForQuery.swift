import NIOCore

extension BackendMessage {
    /// `Z`: the server has finished the previous request and is ready for a new one.
    public struct ReadyForQuery: Hashable, Sendable {
        /// The session's transaction state.
        public var transactionStatus: TransactionStatus

        /// Creates the message.
        public init(transactionStatus: TransactionStatus) { self.transactionStatus = transactionStatus }
    }

    /// The transaction state that ReadyForQuery reports.
    public enum TransactionStatus: UInt8, Hashable, Sendable {
        /// `I`: not in a transaction block.
        case idle = 73
        /// `T`: in a transaction block.
        case inTransaction = 84
        /// `E`: in a failed transaction block; commands are rejected until it ends.
        case failedTransaction = 69
    }
}

extension BackendMessage.ReadyForQuery: BackendMessagePayload {

    static func decode(from reader: inout MessageReader) throws(PGWireError) -> Self {
        let byte = try reader.readUInt8("transactionStatus")
        guard let status = BackendMessage.TransactionStatus(rawValue: byte) else {
            throw reader.error(.invalidValue(PGWireError.describe(byte: byte)), "transactionStatus")
        }
        return Self(transactionStatus: status)
    }

    func encodeBody(into buffer: inout ByteBuffer) {
        buffer.writeInteger(transactionStatus.rawValue)
    }
}
