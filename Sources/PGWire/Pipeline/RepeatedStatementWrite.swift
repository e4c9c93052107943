package import NIOCore

/// The Bind and Execute of one statement run with many parameter sets (a batch), whose
/// messages differ only in their values: the fields around the values are checked and laid out
/// once, and each set then takes one reservation of the write buffer and three copies.
package struct RepeatedStatementWrite: Sendable {
    /// The statement every set binds.
    private let statementName: String
    /// Bind's fields between its length and the values: the unnamed portal, the statement's
    /// name, the parameter formats and the parameter count.
    private let head: [UInt8]
    /// Bind's fields after the values: the result formats.
    private let tail: [UInt8]

    /// - Throws: ``PGWireError`` when the name contains a NUL or a list has more than 65535
    ///   entries (see ``FrontendMessage/Bind/size(portalName:statementName:parameterFormats:parameterCount:parameterBytes:resultFormats:)``).
    package init(statementName: String, parameterFormats: [PGFormat], parameterCount: Int) throws(PGWireError) {
        let results = RequestPipeline.binaryResults
        // The size of a Bind without values: its type byte, length, fields and no value bytes.
        let fields = try FrontendMessage.Bind.size(
            portalName: "", statementName: statementName, parameterFormats: parameterFormats,
            parameterCount: parameterCount, parameterBytes: 0, resultFormats: results) - 5
        let tailSize = 2 + 2 * results.count
        self.statementName = statementName
        self.head = Self.laidOut(size: fields - tailSize) { writer in
            FrontendMessage.Bind.layoutHead(
                &writer, portalName: "", statementName: statementName, parameterFormats: parameterFormats,
                parameterCount: parameterCount)
        }
        self.tail = Self.laidOut(size: tailSize) { FrontendMessage.Bind.layoutTail(&$0, resultFormats: results) }
    }

    /// The layout of the sets that share `write`, if it is Bind and Execute alone (nothing
    /// parsed, described or closed with it, as a batch's sets after the first); `nil` for any
    /// other write, which is written in full.
    ///
    /// - Throws: as ``init(statementName:parameterFormats:parameterCount:)``.
    package init?(sharedBy write: StatementWrite, parameterFormats: [PGFormat], parameterCount: Int) throws(PGWireError) {
        guard !write.parses, !write.describes, write.evicted == nil else { return nil }
        try self.init(statementName: write.name, parameterFormats: parameterFormats, parameterCount: parameterCount)
    }

    /// The `size` bytes `layout` writes.
    private static func laidOut(size: Int, _ layout: (inout MessageLayoutWriter) -> Void) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: size) { bytes, count in
            var writer = MessageLayoutWriter(UnsafeMutableRawBufferPointer(bytes))
            layout(&writer)
            count = writer.offset
        }
    }

    /// Writes Bind with `values` (each an Int32 length and its bytes) and Execute. The values
    /// are raw bytes so that a batch reads its values buffer once for all its sets.
    ///
    /// - Throws: ``PGWireError`` when the message would exceed the protocol's 2 GiB.
    package func write(values: UnsafeRawBufferPointer, into out: inout ByteBuffer) throws(PGWireError) {
        let length = 4 + head.count + values.count + tail.count
        guard length <= Int(Int32.max) else {
            throw PGWireError(.messageTooLarge(length: length, maximum: Int(Int32.max)), message: "Bind")
        }
        out.writeLayout(size: 1 + length + FrontendMessage.executeUnnamedPortalSize) { writer in
            writer.write(FrontendMessageType.bind.rawValue)
            writer.write(Int32(length))
            head.withUnsafeBytes { writer.write($0) }
            writer.write(values)
            tail.withUnsafeBytes { writer.write($0) }
            FrontendMessage.layoutExecuteUnnamedPortal(&writer)
        }
    }
}
