public import NIOCore

extension BackendMessage {
    /// `d`: a chunk of COPY data, kept as a slice of the received buffer.
    public struct CopyData: Hashable, Sendable {
        /// The chunk's bytes. Chunks need not line up with rows.
        public var data: ByteBuffer

        /// Creates a COPY data message.
        public init(data: ByteBuffer) { self.data = data }
    }
}

extension BackendMessage.CopyData: BackendMessagePayload {

    static func decode(from reader: inout MessageReader) throws(PGWireError) -> Self {
        Self(data: reader.readRest())
    }

    func encodeBody(into buffer: inout ByteBuffer) {
        buffer.writeImmutableBuffer(data)
    }
}
