public import NIOCore

extension FrontendMessage {
    /// Writes Describe of the unnamed portal (`D`, portal, `""`): the same bytes as
    /// `FrontendMessage.describe(.init(.portal))`, written as one constant.
    public static func writeDescribeUnnamedPortal(into buffer: inout ByteBuffer) {
        buffer.writeBytes(describeUnnamedPortal)
    }

    /// Writes Execute of the unnamed portal for all its rows: the same bytes as
    /// `FrontendMessage.execute(.init())`, written as one constant, since every statement sends it.
    public static func writeExecuteUnnamedPortal(into buffer: inout ByteBuffer) {
        buffer.writeBytes(executeUnnamedPortal)
    }

    /// Writes Sync: the same bytes as `FrontendMessage.sync`.
    public static func writeSync(into buffer: inout ByteBuffer) {
        buffer.writeBytes(syncBytes)
    }

    private static let describeUnnamedPortal: [UInt8] = [FrontendMessageType.describe.rawValue, 0, 0, 0, 6, Target.portal.rawValue, 0]
    private static let executeUnnamedPortal: [UInt8] = [FrontendMessageType.execute.rawValue, 0, 0, 0, 9, 0, 0, 0, 0, 0]
    private static let syncBytes: [UInt8] = [FrontendMessageType.sync.rawValue, 0, 0, 0, 4]
}
