import NIOCore

extension BackendMessage {
    /// `A`: a NOTIFY arrived on a channel this session listens to.
    public struct NotificationResponse: Hashable, Sendable {
        /// The process ID of the backend that sent the notification.
        public var processID: Int32
        /// The channel name.
        public var channel: String
        /// The payload (empty when none was given).
        public var payload: String

        /// Creates a notification.
        public init(processID: Int32, channel: String, payload: String) {
            self.processID = processID
            self.channel = channel
            self.payload = payload
        }
    }
}

extension BackendMessage.NotificationResponse: BackendMessagePayload {

    static func decode(from reader: inout MessageReader) throws(PGWireError) -> Self {
        Self(
            processID: try reader.readInt32("processID"),
            channel: try reader.readCString("channel"),
            payload: try reader.readCString("payload"))
    }

    func encodeBody(into buffer: inout ByteBuffer) {
        buffer.writeInteger(processID)
        for string in [channel, payload] {
            buffer.writeString(string)
            buffer.writeInteger(UInt8(0))
        }
    }
}
