import PGClient
import Testing

/// Many queries in flight on one connection at once, each answered with its own result.
@Suite("Pipelining")
struct PipeliningTests {
    @Test func hundredConcurrentQueriesGetTheirOwnResults() async throws {
        try await TestDatabase.withConnection { connection in
            let results = try await withThrowingTaskGroup(of: (Int32, Int32, String).self) { group in
                for index in Int32(0)..<100 {
                    group.addTask {
                        let rows = try await connection.query(
                            "SELECT \(index) * 2, \("tag-\(index)"), pg_backend_pid() FROM generate_series(1, \(index % 5 + 1))"
                        ).collect()
                        #expect(rows.count == Int(index % 5 + 1))
                        let (doubled, tag) = try #require(rows.first).decode((Int32, String).self)
                        return (index, doubled, tag)
                    }
                }
                var collected: [(Int32, Int32, String)] = []
                for try await result in group { collected.append(result) }
                return collected
            }
            #expect(results.count == 100)
            for (index, doubled, tag) in results {
                #expect(doubled == index * 2)
                #expect(tag == "tag-\(index)")
            }
            #expect(connection.transactionStatus == .idle)
        }
    }

    /// Tasks on the connection's own event loop: requests that join others in flight are
    /// written together at the end of the loop's turn; each still gets its own result, and a
    /// query on the idle connection afterwards is written at once.
    @Test func tasksOnTheEventLoopShareWritesAndKeepTheirResults() async throws {
        try await TestDatabase.withConnection { connection in
            let sums = try await withThrowingTaskGroup(of: Int64.self) { group in
                for task in Int64(0)..<40 {
                    group.addTask(executorPreference: connection.executor) {
                        var sum: Int64 = 0
                        for step in Int64(0)..<25 {
                            let value = task * 1_000 + step
                            let rows = try await connection.query("SELECT \(value)::int8 + 1").collect()
                            let returned = try #require(rows.first).decode(Int64.self, at: 0)
                            #expect(returned == value + 1)
                            sum += returned
                        }
                        return sum
                    }
                }
                var all: [Int64] = []
                for try await sum in group { all.append(sum) }
                return all
            }
            #expect(sums.count == 40)
            #expect(sums.reduce(0, +) == (0..<40).reduce(Int64(0)) { total, task in
                total + (0..<25).reduce(Int64(0)) { $0 + Int64(task) * 1_000 + $1 + 1 }
            })
            let alone = try await withTaskExecutorPreference(connection.executor) {
                try await connection.query("SELECT 7").collect().first?.decode(Int32.self, at: 0)
            }
            #expect(alone == 7)
            #expect(connection.transactionStatus == .idle)
        }
    }

    @Test func aFailingQueryInThePipelineFailsOnlyItself() async throws {
        try await TestDatabase.withConnection { connection in
            let outcomes = await withTaskGroup(of: (Int32, Result<Int32, PGError>).self) { group in
                for index in Int32(0)..<30 {
                    group.addTask {
                        do {
                            // Every fifth divides by zero.
                            let rows = try await connection.query("SELECT 100 / \(index % 5)").collect()
                            return (index, .success(try #require(rows.first).decode(Int32.self, at: 0)))
                        } catch let error as PGError {
                            return (index, .failure(error))
                        } catch {
                            return (index, .failure(PGError(.decoding, message: "\(error)", requestWasSent: true)))
                        }
                    }
                }
                var all: [(Int32, Result<Int32, PGError>)] = []
                for await outcome in group { all.append(outcome) }
                return all
            }
            #expect(outcomes.count == 30)
            for (index, outcome) in outcomes {
                switch outcome {
                case .success(let value):
                    #expect(index % 5 != 0)
                    #expect(value == 100 / (index % 5))
                case .failure(let error):
                    #expect(index % 5 == 0, "\(index): \(error)")
                    #expect(error.sqlState == .divisionByZero)
                }
            }
        }
    }
}
