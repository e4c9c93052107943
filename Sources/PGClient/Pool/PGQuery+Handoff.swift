extension PGQuery {
    /// The operations a waiting one-off statement may have to share a connection's handoff with
    /// others (``PGPool/Configuration/waitingStatementsPerConnection``): those whose command tag
    /// never says that the session changed, and that open no transaction.
    static let handoffOperations: Set<String> = ["SELECT", "INSERT", "UPDATE", "DELETE", "MERGE", "VALUES", "TABLE"]

    /// Whether the statement may share a handoff: its operation (its first keyword, or the one
    /// after its common table expressions) is one of ``handoffOperations``. Text the lexer cannot
    /// place (several statements, an unknown command) is kept alone.
    var mayShareHandoff: Bool {
        PGSQLText.operationName(of: sql).map(Self.handoffOperations.contains) ?? false
    }
}

extension PGPool.Configuration {
    /// How a one-off statement waits for a connection without multiplexing: pipelined with
    /// others when ``waitingStatementsPerConnection`` allows and the statement may share a
    /// handoff, else alone.
    func leaseKind(for query: PGQuery) -> PoolStateMachine<Int, PoolInstant>.LeaseKind {
        pipelinesWaitingStatements && waitingStatementsPerConnection > 1 && query.mayShareHandoff
            ? .pipelinedStatement : .exclusive
    }
}
