public import NIOCore

extension FrontendMessage {
    /// Writes Describe of the unnamed portal (`D`, portal, `""`): the same bytes as
    /// `FrontendMessage.describe(.init(.portal))`, stored directly, as every undescribed
    /// statement sends it.
    public static func writeDescribeUnnamedPortal(into buffer: inout ByteBuffer) {
        buffer.writeLayout(size: 7) { writer in
            writer.write(FrontendMessageType.describe.rawValue)
            writer.write(Int32(6))
            writer.write(Target.portal.rawValue)
            writer.write(UInt8(0))
        }
    }

    /// Writes Execute of the unnamed portal for all its rows: the same bytes as
    /// `FrontendMessage.execute(.init())`, stored directly, as every statement sends it.
    public static func writeExecuteUnnamedPortal(into buffer: inout ByteBuffer) {
        buffer.writeLayout(size: 10) { writer in
            writer.write(FrontendMessageType.execute.rawValue)
            writer.write(Int32(9))
            writer.write(UInt8(0))
            writer.write(Int32(0))
        }
    }

    /// Writes Sync: the same bytes as `FrontendMessage.sync`.
    public static func writeSync(into buffer: inout ByteBuffer) {
        buffer.writeLayout(size: 5) { writer in
            writer.write(FrontendMessageType.sync.rawValue)
            writer.write(Int32(4))
        }
    }
}
