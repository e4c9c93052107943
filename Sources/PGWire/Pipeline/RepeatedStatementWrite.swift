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
        _ = try FrontendMessage.Bind.size(
            portalName: "", statementName: statementName, parameterFormats: parameterFormats,
            parameterCount: parameterCount, parameterBytes: 0, resultFormats: results)
        var head: [UInt8] = [0]
        head.append(contentsOf: statementName.utf8)
        head.append(0)
        Self.append(UInt16(parameterFormats.count), to: &head)
        for format in parameterFormats { Self.append(UInt16(bitPattern: format.rawValue), to: &head) }
        Self.append(UInt16(parameterCount), to: &head)
        var tail: [UInt8] = []
        Self.append(UInt16(results.count), to: &tail)
        for format in results { Self.append(UInt16(bitPattern: format.rawValue), to: &tail) }
        self.statementName = statementName
        self.head = head
        self.tail = tail
    }

    private static func append(_ value: UInt16, to bytes: inout [UInt8]) {
        bytes.append(UInt8(truncatingIfNeeded: value >> 8))
        bytes.append(UInt8(truncatingIfNeeded: value))
    }

    /// Whether `write` is a set this writes as planned: Bind and Execute of this statement,
    /// nothing parsed, described or closed with it (a batch's sets after the first).
    package func writes(_ write: StatementWrite) -> Bool {
        !write.parses && !write.describes && write.evicted == nil && write.name == statementName
    }

    /// Writes Bind with `values` (each an Int32 length and its bytes) and Execute.
    ///
    /// - Throws: ``PGWireError`` when the message would exceed the protocol's 2 GiB.
    package func write(values: ByteBuffer, into out: inout ByteBuffer) throws(PGWireError) {
        let length = 4 + head.count + values.readableBytes + tail.count
        guard length <= Int(Int32.max) else {
            throw PGWireError(.messageTooLarge(length: length, maximum: Int(Int32.max)), message: "Bind")
        }
        out.writeLayout(size: 1 + length + FrontendMessage.executeUnnamedPortalSize) { writer in
            writer.write(FrontendMessageType.bind.rawValue)
            writer.write(Int32(length))
            head.withUnsafeBytes { writer.write($0) }
            values.withUnsafeReadableBytes { writer.write($0) }
            tail.withUnsafeBytes { writer.write($0) }
            FrontendMessage.layoutExecuteUnnamedPortal(&writer)
        }
    }
}
