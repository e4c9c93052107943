package import NIOCore

extension StatementWrite {
    /// Writes the planned messages of one statement with its values, and a Sync after them when
    /// `sync` (a statement of its own). The pipeline checked them when it planned the statement,
    /// so this fails only if the values are not those planned.
    ///
    /// - Throws: ``PGWireError`` when a message cannot be written (see
    ///   ``FrontendMessage/Bind/write(into:portalName:statementName:parameterFormats:parameterCount:encodedParameters:resultFormats:)``).
    package func write(
        sql: String, parameterTypes: PGParameterTypes, parameterFormats: [PGFormat], parameterCount: Int,
        values: PGEncodedValues, into out: inout ByteBuffer, sync: Bool = false
    ) throws(PGWireError) {
        if parses {
            try FrontendMessage.Parse.write(into: &out, statementName: name, query: sql, parameterTypes: parameterTypes)
        }
        // Bind, Describe, Execute and Sync into bytes reserved once: each reservation is a
        // capacity check and an exclusivity check in NIO. A Close of an evicted statement goes
        // before the Sync.
        let results = RequestPipeline.binaryResults
        let bindSize = try FrontendMessage.Bind.size(
            portalName: "", statementName: name, parameterFormats: parameterFormats, parameterCount: parameterCount,
            parameterBytes: values.count, resultFormats: results)
        let describeSize = describes ? FrontendMessage.describeUnnamedPortalSize : 0
        let syncNow = sync && evicted == nil
        let syncSize = syncNow ? FrontendMessage.syncSize : 0
        out.writeLayout(size: bindSize + describeSize + FrontendMessage.executeUnnamedPortalSize + syncSize) { writer in
            FrontendMessage.Bind.layout(
                &writer, size: bindSize, portalName: "", statementName: name, parameterFormats: parameterFormats,
                parameterCount: parameterCount, encodedParameters: values, resultFormats: results)
            if describes { FrontendMessage.layoutDescribeUnnamedPortal(&writer) }
            FrontendMessage.layoutExecuteUnnamedPortal(&writer)
            if syncNow { FrontendMessage.layoutSync(&writer) }
        }
        if let evicted {
            try FrontendMessage.close(.init(.statement, name: evicted)).encode(into: &out)
            if sync { FrontendMessage.writeSync(into: &out) }
        }
    }
}
