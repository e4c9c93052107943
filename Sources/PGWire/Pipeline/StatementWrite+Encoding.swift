package import NIOCore

extension StatementWrite {
    /// Writes the planned messages of one statement with its values. The pipeline checked them
    /// when it planned the statement, so this fails only if the values are not those planned.
    ///
    /// - Throws: ``PGWireError`` when a message cannot be written (see
    ///   ``FrontendMessage/Bind/write(into:portalName:statementName:parameterFormats:parameterCount:encodedParameters:resultFormats:)``).
    package func write(
        sql: String, parameterTypes: PGParameterTypes, parameterFormats: [PGFormat], parameterCount: Int,
        values: ByteBuffer, into out: inout ByteBuffer
    ) throws(PGWireError) {
        if parses {
            try FrontendMessage.Parse.write(into: &out, statementName: name, query: sql, parameterTypes: parameterTypes)
        }
        try FrontendMessage.Bind.write(
            into: &out, portalName: "", statementName: name, parameterFormats: parameterFormats,
            parameterCount: parameterCount, encodedParameters: values, resultFormats: RequestPipeline.binaryResults)
        if describes { FrontendMessage.writeDescribeUnnamedPortal(into: &out) }
        FrontendMessage.writeExecuteUnnamedPortal(into: &out)
        if let evicted {
            try FrontendMessage.close(.init(.statement, name: evicted)).encode(into: &out)
        }
    }
}
