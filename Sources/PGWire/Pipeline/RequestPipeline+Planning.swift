/// A request as planned: what the protocol machine expects back, what the pipeline keeps while
/// it is in flight, and what the shell writes.
struct PlannedRequest: Sendable {
    var protocolRequest: QueryRequest
    var kind: InFlightRequest.Kind
    var statements: PlannedStatements
    var write: RequestWrite
}

/// One statement as planned.
private struct PlannedExecution {
    var steps: ExtendedSteps
    var statement: PlannedStatement
    var write: StatementWrite
}

extension RequestPipeline {
    /// Every result column in binary, made once rather than as an array literal per statement.
    static let binaryResults: [PGFormat] = [.binary]

    /// Parameter values of a later batch set smaller than this cannot make its Bind too large.
    private static let uncheckedParameterBytes = 1 << 30

    /// Decides the messages of a request and checks that each can be written.
    ///
    /// - Throws: ``PGWireError`` when a message cannot be written (a NUL in the text, too many
    ///   parameters, larger than the protocol allows); the cache is then as it was.
    mutating func plan(_ request: PipelineRequest) throws(PGWireError) -> PlannedRequest {
        switch request {
        case .query(let spec):
            let execution = try planStatement(spec)
            return PlannedRequest(
                protocolRequest: .extended(execution.steps), kind: .query,
                statements: PlannedStatements(execution.statement), write: .statement(execution.write))
        case .queries(let specs):
            var steps: [ExtendedSteps] = []
            var statements: [PlannedStatement] = []
            var writes: [StatementWrite] = []
            steps.reserveCapacity(specs.count)
            statements.reserveCapacity(specs.count)
            writes.reserveCapacity(specs.count)
            do throws(PGWireError) {
                for spec in specs {
                    let execution = try planStatement(spec)
                    steps.append(execution.steps)
                    statements.append(execution.statement)
                    writes.append(execution.write)
                }
            } catch {
                forgetUnsent(PlannedStatements(statements))
                throw error
            }
            return PlannedRequest(
                protocolRequest: .batch(steps), kind: .batch(statements: specs.count),
                statements: PlannedStatements(statements), write: .batch(.each(writes), from: 0))
        case .repeated(let spec, let count, let largestSetBytes):
            return try planRepeated(spec, count: count, largestSetBytes: largestSetBytes)
        case .simple(let sql), .copyIn(let sql), .copyOut(let sql):
            _ = try FrontendMessage.Query.size(sql: sql)
            let kind: InFlightRequest.Kind
            switch request {
            case .copyIn: kind = .copyIn
            case .copyOut: kind = .copyOut
            default: kind = .simple
            }
            return PlannedRequest(protocolRequest: .simple, kind: kind, statements: PlannedStatements(), write: .query)
        case .prepare(let name, let sql, let types):
            _ = try FrontendMessage.Parse.size(statementName: name, query: sql, parameterTypeCount: types.count)
            return PlannedRequest(
                protocolRequest: .extended(.prepare), kind: .prepare, statements: PlannedStatements(), write: .prepare)
        }
    }

    /// A batch of parameter sets asks the cache once; the sets after the first use the statement
    /// the first prepared (or the unnamed one it parsed, which no other Parse replaces in
    /// between), and the first set's description of the result.
    private mutating func planRepeated(_ spec: StatementSpec, count: Int, largestSetBytes: Int) throws(PGWireError) -> PlannedRequest {
        let first = try planStatement(spec)
        // The later sets differ from the first in their values' size alone.
        if count > 1, largestSetBytes > Self.uncheckedParameterBytes {
            do throws(PGWireError) {
                _ = try FrontendMessage.Bind.size(
                    portalName: "", statementName: first.write.name, parameterFormats: spec.parameterFormats,
                    parameterCount: spec.parameterCount, parameterBytes: largestSetBytes, resultFormats: Self.binaryResults)
            } catch {
                forgetUnsent(PlannedStatements(first.statement))
                throw error
            }
        }
        // The later sets are Bind and Execute of the same statement; the first set's description
        // serves them all (one RowDescription, and one PGColumns, per batch).
        var later = first
        later.steps.subtract([.parse, .close])
        later.statement.parsesNamed = false
        if first.write.describes {
            later.steps.remove(.describePortal)
            later.statement.columnsOfFirst = true
        }
        let laterWrite = StatementWrite(name: first.write.name, parses: false, describes: false, evicted: nil)
        var steps: [ExtendedSteps] = [first.steps]
        var statements: [PlannedStatement] = [first.statement]
        steps.reserveCapacity(count)
        statements.reserveCapacity(count)
        for _ in 1..<max(count, 1) {
            steps.append(later.steps)
            statements.append(later.statement)
        }
        return PlannedRequest(
            protocolRequest: .batch(steps), kind: .batch(statements: count), statements: PlannedStatements(statements),
            write: .batch(.repeated(first: first.write, later: laterWrite, count: count), from: 0))
    }

    /// Decides how one statement runs — an explicitly prepared statement, or as the cache says —
    /// and checks that its messages can be written.
    private mutating func planStatement(_ spec: StatementSpec) throws(PGWireError) -> PlannedExecution {
        // Its two fields read where they are: binding the optional copied it through a generic
        // value witness.
        if let name = spec.prepared?.name, let columns = spec.prepared?.columns {
            return try planExecution(plan: .cached(name: name, columns: columns), cacheManaged: false, spec: spec)
        }
        let key = StatementCache.Key(sql: spec.sql, parameterTypes: spec.parameterTypes)
        return try planExecution(plan: statementCache.plan(for: key), cacheManaged: true, spec: spec)
    }

    /// Decides one statement's messages: Parse (unless cached), Bind with binary results,
    /// Describe of the portal (unless the columns are cached), Execute, and a Close of an
    /// evicted statement; and checks that they can be written.
    private mutating func planExecution(
        plan: StatementCache.Plan, cacheManaged: Bool, spec: StatementSpec
    ) throws(PGWireError) -> PlannedExecution {
        var steps: ExtendedSteps = [.bind, .execute]
        var statement = PlannedStatement()
        let name: String
        var evicted: String?
        switch plan {
        case .unnamed:
            name = ""
            steps.formUnion([.parse, .describePortal])
        case .parsedUnnamed:
            name = ""
            steps.insert(.describePortal)
        case .prepare(let newName, let oldName):
            name = newName
            evicted = oldName
            steps.formUnion([.parse, .describePortal])
            statement.cachedName = newName
            statement.parsesNamed = true
        case .cached(let cachedName, let columns):
            name = cachedName
            if cacheManaged { statement.cachedName = cachedName }
            statement.knownColumns = columns
            if columns == nil { steps.insert(.describePortal) }
        }
        if evicted != nil { steps.insert(.close) }
        let write = StatementWrite(
            name: name, parses: steps.contains(.parse), describes: steps.contains(.describePortal), evicted: evicted)
        do throws(PGWireError) {
            if write.parses {
                _ = try FrontendMessage.Parse.size(
                    statementName: name, query: spec.sql, parameterTypeCount: spec.parameterTypes.count)
            }
            _ = try FrontendMessage.Bind.size(
                portalName: "", statementName: name, parameterFormats: spec.parameterFormats,
                parameterCount: spec.parameterCount, parameterBytes: spec.parameterBytes, resultFormats: Self.binaryResults)
        } catch {
            forgetUnsent(PlannedStatements(statement))
            throw error
        }
        return PlannedExecution(steps: steps, statement: statement, write: write)
    }

    /// Forgets statements the cache was told would be prepared, whose bytes were never sent.
    mutating func forgetUnsent(_ statements: PlannedStatements) {
        for index in 0..<statements.count {
            guard let name = statements.parsedName(at: index) else { continue }
            statementCache.remove(name: name)
        }
    }
}
