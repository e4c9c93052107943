import NIOCore
import Testing

@testable import PGWire

@Suite("Request pipeline: plans, deliveries, holds")
struct RequestPipelineTests {
    static let internalID = RequestPipeline.internalRequestID
    static let notConfirmed = "the connection was closed: a cancelled statement did not end within the cancel timeout"

    @Test func aStatementIsParsedOnceThenBoundByNameWithItsColumnsKnown() {
        var driver = PipelineDriver()
        #expect(driver.submit(q1, Requests.query()) == ["write #1 parse bind pgwire_1 describe execute"])
        #expect(driver.receive(Requests.parsedAnswer(rows: 2)) == [
            "ready idle 0 left", "deliver #1 1 columns 2 rows complete SELECT 2", "end #1",
        ])
        #expect(driver.submit(q2, Requests.query()) == ["write #2 bind pgwire_1 execute"])
        #expect(driver.receive(Requests.cachedAnswer(rows: 1)) == [
            "ready idle 0 left", "deliver #2 1 columns 1 rows complete SELECT 1", "end #2",
        ])
        // Other parameter types make another statement.
        #expect(driver.submit(q3, Requests.query(types: [.int8])) == ["write #3 parse bind pgwire_2 describe execute"])
    }

    @Test func aWholeResultAndTheEndOfItsRequestAreOneAction() {
        var driver = PipelineDriver()
        _ = driver.submit(q1, Requests.query())
        driver.decoder.append(MessageStreams.encode(Requests.parsedAnswer(rows: 2)))
        driver.pipeline.consume(&driver.decoder)
        driver.pipeline.readComplete()
        var actions: [PipelineAction] = []
        while let action = driver.pipeline.nextAction() { actions.append(action) }
        #expect(actions.count == 2)
        guard case .ready(.idle, requestsLeft: 0)? = actions.first else {
            Issue.record("expected ReadyForQuery's status first, got \(actions)")
            return
        }
        guard case .completeRows(let id, _, let rows, let tag)? = actions.last else {
            Issue.record("expected the rows and the end in one action, got \(actions)")
            return
        }
        #expect(id == q1 && rows.count == 2 && tag == "SELECT 2")
    }

    @Test func aFullCacheClosesItsLeastRecentlyUsedStatementAfterTheNewOne() {
        var driver = PipelineDriver(cacheCapacity: 1)
        _ = driver.submit(q1, Requests.query("SELECT 1"))
        _ = driver.receive(Requests.parsedAnswer(rows: 1))
        #expect(driver.submit(q2, Requests.query("SELECT 2")) == ["write #2 parse bind pgwire_2 describe execute close pgwire_1"])
        let answer: [BackendMessage] = [
            .parseComplete, .bindComplete, .rowDescription(Requests.oneColumn), Requests.row(2),
            .commandComplete(.init(tag: "SELECT 1")), .closeComplete, Backend.ready(),
        ]
        #expect(driver.receive(answer) == ["ready idle 0 left", "deliver #2 1 columns 1 rows complete SELECT 1", "end #2"])
        #expect(driver.pipeline.statementCache.count == 1)
        #expect(driver.pipeline.statementCache.name(of: .init(sql: "SELECT 2", parameterTypes: Requests.spec("").parameterTypes)) == "pgwire_2")
    }

    @Test func withTheCacheOffEveryStatementIsUnnamedAndDescribed() {
        var driver = PipelineDriver(cacheCapacity: 0)
        #expect(driver.submit(q1, Requests.query()) == ["write #1 parse bind unnamed describe execute"])
        _ = driver.receive(Requests.parsedAnswer(rows: 1))
        #expect(driver.submit(q2, Requests.query()) == ["write #2 parse bind unnamed describe execute"])
    }

    @Test func aStalePlanOutsideATransactionIsClosedAndTheStatementRunsAgainReprepared() {
        var driver = PipelineDriver()
        _ = driver.submit(q1, Requests.query())
        _ = driver.receive(Requests.parsedAnswer(rows: 1))
        #expect(driver.submit(q2, Requests.query()) == ["write #2 bind pgwire_1 execute"])
        // The caller hears nothing yet: nothing of the statement ran.
        #expect(driver.receive([.errorResponse(Requests.stalePlan), Backend.ready()]) == [
            "write \(Self.internalID) close pgwire_1",
            "ready idle 1 left",
            "write #2 parse bind pgwire_2 describe execute",
        ])
        #expect(driver.receive([.closeComplete, Backend.ready()]) == ["ready idle 1 left", "end \(Self.internalID)"])
        #expect(driver.receive(Requests.parsedAnswer(rows: 1)) == [
            "ready idle 0 left", "deliver #2 1 columns 1 rows complete SELECT 1", "end #2",
        ])
    }

    @Test func aStalePlanInsideATransactionFailsTheStatement() {
        var driver = PipelineDriver()
        _ = driver.submit(q1, Requests.query())
        _ = driver.receive(Requests.parsedAnswer(rows: 1, ready: .inTransaction))
        _ = driver.submit(q2, Requests.query())
        #expect(driver.receive([.errorResponse(Requests.stalePlan), Backend.ready(.failedTransaction)]) == [
            "write \(Self.internalID) close pgwire_1",
            "ready failedTransaction 1 left",
            "fail #2 server 0A000",
            "end #2",
        ])
    }

    @Test func aBatchWithAFailingSetReportsTheRestAsSkipped() {
        var driver = PipelineDriver()
        #expect(driver.submit(q1, .repeated(Requests.spec("SELECT 10 / $1"), count: 3, largestSetBytes: 8)) == [
            "write #1 batch from 0: parse bind pgwire_1 describe execute | bind pgwire_1 execute | bind pgwire_1 execute"
        ])
        let answer: [BackendMessage] = [
            .parseComplete, .bindComplete, .rowDescription(Requests.oneColumn), Requests.row(10),
            .commandComplete(.init(tag: "SELECT 1")), .bindComplete, .errorResponse(Backend.error("22012")), Backend.ready(),
        ]
        #expect(driver.receive(answer) == [
            "ready idle 0 left", "results #1 SELECT 1 1 rows, failed 22012, skipped after 1", "end #1",
        ])
        // The statement was parsed before the failure: it stays cached.
        #expect(driver.submit(q2, Requests.query("SELECT 10 / $1")) == ["write #2 bind pgwire_1 execute"])
    }

    @Test func aNamedStatementWhoseParseWasSkippedIsForgotten() {
        var driver = PipelineDriver()
        _ = driver.submit(q1, .queries([Requests.spec("SELECT 1 / 0"), Requests.spec("SELECT 2")]))
        let answer: [BackendMessage] = [.parseComplete, .bindComplete, .errorResponse(Backend.error("22012")), Backend.ready()]
        #expect(driver.receive(answer) == ["ready idle 0 left", "results #1 failed 22012, skipped after 0", "end #1"])
        // The second Parse never ran: the statement is parsed again, under a new name.
        #expect(driver.submit(q2, Requests.query("SELECT 2")) == ["write #2 parse bind pgwire_3 describe execute"])
    }

    @Test func requestsWaitWhileACopyFromStdinRuns() {
        var driver = PipelineDriver()
        #expect(driver.submit(q1, .copyIn("COPY t FROM STDIN")) == ["write #1 query"])
        #expect(driver.submit(q2, Requests.query()).isEmpty)
        #expect(driver.pipeline.requestsHeld == 1)
        #expect(driver.receive([.copyInResponse(Backend.copyFormat)]) == ["copy in #1"])
        #expect(driver.receive([.commandComplete(.init(tag: "COPY 3")), Backend.ready()]) == [
            "ready idle 1 left", "copy in done #1 COPY 3", "end #1", "write #2 parse bind pgwire_1 describe execute",
        ])
    }

    @Test func copyOutDataStreamsAtTheEndOfEachRead() {
        var driver = PipelineDriver()
        _ = driver.submit(q1, .copyOut("COPY t TO STDOUT"))
        let chunk = BackendMessage.copyData(.init(data: ByteBuffer(string: "1\tone\n")))
        #expect(driver.receive([.copyOutResponse(Backend.copyFormat), chunk, chunk]) == ["copy out #1", "copy data #1 2"])
        #expect(driver.receive([chunk, .copyDone, .commandComplete(.init(tag: "COPY 3")), Backend.ready()]) == [
            "copy data #1 1", "copy out done #1", "ready idle 0 left", "end #1",
        ])
    }

    @Test func aResultLongerThanOneReadStreams() {
        var driver = PipelineDriver()
        _ = driver.submit(q1, Requests.query())
        let start: [BackendMessage] = [.parseComplete, .bindComplete, .rowDescription(Requests.oneColumn), Requests.row(1)]
        #expect(driver.receive(start) == ["deliver #1 1 columns 1 rows streaming"])
        #expect(driver.receive([Requests.row(2), Requests.row(3)]) == ["stream #1 2 rows"])
        #expect(driver.receive([Requests.row(4), .commandComplete(.init(tag: "SELECT 4")), Backend.ready()]) == [
            "stream #1 1 rows", "ready idle 0 left", "finish #1 SELECT 4", "end #1",
        ])
    }

    @Test func anErrorAfterRowsWereStreamedEndsTheStreamWithIt() {
        var driver = PipelineDriver()
        _ = driver.submit(q1, Requests.query())
        _ = driver.receive([.parseComplete, .bindComplete, .rowDescription(Requests.oneColumn), Requests.row(1)])
        #expect(driver.receive([Requests.row(2), .errorResponse(Backend.error("22012")), Backend.ready()]) == [
            "stream #1 1 rows", "ready idle 0 left", "fail #1 server 22012", "end #1",
        ])
    }

    @Test func aCancelHoldsNewRequestsUntilTheStatementEndedAndTheCancelArrived() {
        var driver = PipelineDriver()
        _ = driver.submit(q1, Requests.query("SELECT pg_sleep(60)"))
        #expect(driver.after { $0.cancelRequested(q1) } == ["send cancel"])
        #expect(driver.submit(q2, Requests.query()).isEmpty)
        #expect(driver.receive([.parseComplete, .bindComplete, .errorResponse(Backend.error("57014")), Backend.ready()]) == [
            "ready idle 1 left", "fail #1 server 57014", "end #1",
        ])
        // Not before the CancelRequest is delivered: it could reach the next statement.
        #expect(driver.after { $0.cancelDelivered() } == ["stop ticks", "write #2 parse bind pgwire_2 describe execute"])
    }

    @Test func aCancelIsSentAgainAndTheConnectionGivenUpWhenTheStatementRunsOn() {
        var driver = PipelineDriver(cancelTicks: 3)
        _ = driver.submit(q1, Requests.query("SELECT pg_sleep(60)"))
        _ = driver.after { $0.cancelRequested(q1) }
        _ = driver.submit(q2, Requests.query())
        _ = driver.after { $0.cancelDelivered() }
        // The caller stops waiting at the first tick; the connection goes on cancelling.
        #expect(driver.after { $0.cancelTick() } == ["send cancel", "fail #1 cancelled sent true"])
        _ = driver.after { $0.cancelDelivered() }
        #expect(driver.after { $0.cancelTick() } == ["send cancel"])
        #expect(driver.after { $0.cancelTick() } == [
            "stop ticks", "close \(Self.notConfirmed)", "end #1",
            "fail #2 connection \(Self.notConfirmed) sent false", "end #2",
        ])
        #expect(driver.pipeline.connection.isClosed)
    }

    static func answer(_ value: Int32) -> [BackendMessage] {
        [.parseComplete, .bindComplete, .rowDescription(Requests.oneColumn), Requests.row(value),
         .commandComplete(.init(tag: "SELECT 1")), Backend.ready()]
    }

    static func cancelled(ready status: BackendMessage.TransactionStatus = .idle) -> [BackendMessage] {
        [.parseComplete, .bindComplete, .errorResponse(Backend.error("57014")), Backend.ready(status)]
    }

    /// Three statements in flight, the first cancelled: a cancel is sent for it.
    static func threeStatementsWithTheFirstCancelled() -> PipelineDriver {
        var driver = PipelineDriver()
        _ = driver.submit(q1, Requests.query("SELECT pg_sleep(60)"))
        _ = driver.submit(q2, Requests.query("SELECT 2"))
        _ = driver.submit(q3, Requests.query("SELECT 3"))
        #expect(driver.after { $0.cancelRequested(q1) } == ["send cancel"])
        return driver
    }

    @Test func aCancelOfTheOldestWithStatementsBehindItIsSentAndLetsOnlyItsCallerGo() {
        var driver = Self.threeStatementsWithTheFirstCancelled()
        // A cancel for one behind others is not sent: it would stop whatever runs.
        #expect(driver.after { $0.cancelRequested(q2) } == ["fail #2 cancelled sent true"])
        #expect(driver.after { $0.cancelRequested(q2) }.isEmpty)  // told once
        #expect(driver.receive(Self.cancelled()) == ["ready idle 2 left", "fail #1 server 57014", "end #1"])
        // 2's caller was let go: its answer is dropped; 3 gets its own.
        #expect(driver.receive(Self.answer(2)) == ["ready idle 1 left", "end #2"])
        #expect(driver.receive(Self.answer(3)) == [
            "ready idle 0 left", "deliver #3 1 columns 1 rows complete SELECT 1", "end #3",
        ])
        #expect(driver.after { $0.cancelDelivered() } == ["stop ticks"])
    }

    @Test func aStatementStoppedByACancelMeantForTheOneBeforeRunsAgainOnceTheCancelIsOver() {
        var driver = Self.threeStatementsWithTheFirstCancelled()
        // 1 ended before the cancel arrived, which stopped 2 instead: its caller hears nothing.
        #expect(driver.receive(Self.answer(1)) == ["ready idle 2 left", "deliver #1 1 columns 1 rows complete SELECT 1", "end #1"])
        #expect(driver.receive(Self.cancelled()) == ["ready idle 1 left"])
        // Written again only once the cancel was delivered, so that it cannot be stopped twice.
        #expect(driver.after { $0.cancelDelivered() } == ["stop ticks", "write #2 bind pgwire_2 describe execute"])
        #expect(driver.receive(Self.answer(3)) == [
            "ready idle 1 left", "deliver #3 1 columns 1 rows complete SELECT 1", "end #3",
        ])
        #expect(driver.receive(Array(Self.answer(2).dropFirst())) == [
            "ready idle 0 left", "deliver #2 1 columns 1 rows complete SELECT 1", "end #2",
        ])
    }

    /// The same, but the stopped statement's description came in a read of its own: its
    /// caller holds the rows' stream by then, which a run again could not feed, so it hears the
    /// server's error. (A statement whose columns are cached sends no Describe, and has nothing
    /// to read before its error.)
    @Test func aStatementWhoseStreamWasHandedOverIsNotRunAgainAfterAnotherCancel() {
        var driver = Self.threeStatementsWithTheFirstCancelled()
        _ = driver.receive(Self.answer(1))
        #expect(driver.receive([.parseComplete, .bindComplete, .rowDescription(Requests.oneColumn)]) == [
            "deliver #2 1 columns 0 rows streaming",
        ])
        #expect(driver.receive([.errorResponse(Backend.error("57014")), Backend.ready()]) == [
            "ready idle 1 left", "fail #2 server 57014", "end #2",
        ])
        #expect(driver.after { $0.cancelDelivered() } == ["stop ticks"])
    }

    /// Found by the fuzzer: the given-up statement's answer (its caller let go) was taken for
    /// the next one's, which then ended without a word.
    @Test func aCancelGivenUpFailsEveryStatementBehindIt() {
        var driver = PipelineDriver(cancelTicks: 2)
        _ = driver.submit(q1, Requests.query("SELECT pg_sleep(60)"))
        _ = driver.submit(q2, Requests.query("SELECT 2"))
        #expect(driver.after { $0.cancelRequested(q1) } == ["send cancel"])
        _ = driver.after { $0.cancelDelivered() }
        #expect(driver.after { $0.cancelTick() } == ["send cancel", "fail #1 cancelled sent true"])
        _ = driver.after { $0.cancelDelivered() }
        #expect(driver.after { $0.cancelTick() } == [
            "stop ticks", "close \(Self.notConfirmed)", "end #1",
            "fail #2 connection \(Self.notConfirmed) sent true", "end #2",
        ])
    }

    @Test func aStatementStoppedByAnotherCancelInsideATransactionFails() {
        var driver = PipelineDriver()
        _ = driver.submit(q1, Requests.query("SELECT pg_sleep(60)"))
        _ = driver.submit(q2, Requests.query("SELECT 2"))
        _ = driver.after { $0.cancelRequested(q1) }
        _ = driver.receive(Self.answer(1))
        // Its transaction is failed, not rolled back: running it again would not undo that.
        #expect(driver.receive(Self.cancelled(ready: .failedTransaction)) == [
            "ready failedTransaction 0 left", "fail #2 server 57014", "end #2",
        ])
    }

    @Test func aCancelWithABatchBehindLetsItsCallerGoWithoutSendingOne() {
        var driver = PipelineDriver()
        _ = driver.submit(q1, Requests.query("SELECT pg_sleep(60)"))
        _ = driver.submit(q2, .queries([Requests.spec("INSERT INTO t VALUES ($1)"), Requests.spec("SELECT 2")]))
        // A batch stopped by mistake could not run again as one: no cancel is sent.
        #expect(driver.after { $0.cancelRequested(q1) } == ["fail #1 cancelled sent true"])
    }

    /// A pipeline with a Sync after each statement, cancelled: its statements' callers are let
    /// go, the last first, so that the cancel for the one running finds only statements that
    /// nobody waits for behind it, and is sent.
    @Test func aCancelWithOnlyLetGoRequestsBehindIsSent() {
        var driver = PipelineDriver()
        _ = driver.submit(q1, .queries([Requests.spec("SELECT pg_sleep(60)")]))
        _ = driver.submit(q2, .queries([Requests.spec("INSERT INTO t VALUES ($1)")]))
        #expect(driver.after { $0.cancelRequested(q2) } == ["fail #2 cancelled sent true"])
        #expect(driver.after { $0.cancelRequested(q1) } == ["send cancel"])
        #expect(driver.receive(Self.cancelled()) == ["ready idle 1 left", "results #1 failed 57014", "end #1"])
        // The cancel came late and stopped 2 instead: it is not written again, and its caller,
        // told already, hears nothing more.
        #expect(driver.receive(Self.cancelled()) == ["ready idle 0 left", "end #2"])
        #expect(driver.after { $0.cancelDelivered() } == ["stop ticks"])
    }

    @Test func aCancelWithALetGoRequestAndAWaitingBatchBehindIsNotSent() {
        var driver = PipelineDriver()
        _ = driver.submit(q1, Requests.query("SELECT pg_sleep(60)"))
        _ = driver.submit(q2, .queries([Requests.spec("SELECT 2")]))
        _ = driver.submit(q3, .queries([Requests.spec("SELECT 3")]))
        #expect(driver.after { $0.cancelRequested(q2) } == ["fail #2 cancelled sent true"])
        // 3's caller still waits, and 3 could not run again.
        #expect(driver.after { $0.cancelRequested(q1) } == ["fail #1 cancelled sent true"])
    }

    @Test func aHeldRequestWhoseCallerIsCancelledFailsAsNeverSentAndTheRestGoOn() {
        var driver = PipelineDriver()
        _ = driver.submit(q1, Requests.query("SELECT pg_sleep(60)"))
        _ = driver.after { $0.cancelRequested(q1) }
        #expect(driver.submit(q2, Requests.query()).isEmpty)
        #expect(driver.submit(q3, Requests.query("SELECT 3")).isEmpty)
        #expect(driver.after { $0.cancelRequested(q2) } == ["fail #2 cancelled sent false", "end #2"])
        _ = driver.receive([.parseComplete, .bindComplete, .errorResponse(Backend.error("57014")), Backend.ready()])
        #expect(driver.after { $0.cancelDelivered() } == ["stop ticks", "write #3 parse bind pgwire_2 describe execute"])
    }

    @Test func aCallerLetGoAtTheFirstTickHearsNothingMoreWhenTheStatementEnds() {
        var driver = PipelineDriver(cancelTicks: 5)
        _ = driver.submit(q1, Requests.query("INSERT INTO t VALUES (1)"))
        _ = driver.after { $0.cancelRequested(q1) }
        _ = driver.after { $0.cancelDelivered() }
        #expect(driver.after { $0.cancelTick() } == ["send cancel", "fail #1 cancelled sent true"])
        _ = driver.after { $0.cancelDelivered() }
        #expect(driver.after { $0.cancelTick() } == ["send cancel"])
        #expect(driver.receive([.parseComplete, .bindComplete, .noData, .commandComplete(.init(tag: "INSERT 0 1")), Backend.ready()]) == [
            "ready idle 0 left", "end #1",
        ])
        // The connection is usable once the cancels sent were delivered.
        #expect(driver.after { $0.cancelDelivered() } == ["stop ticks"])
        #expect(!driver.pipeline.connection.isClosed)
    }

    @Test func aConsumerThatLeavesHasTheRestDroppedAndTheStatementCancelled() {
        var driver = PipelineDriver()
        _ = driver.submit(q1, Requests.query())
        _ = driver.receive([.parseComplete, .bindComplete, .rowDescription(Requests.oneColumn), Requests.row(1)])
        #expect(driver.after { $0.consumerFellBehind() }.isEmpty)
        #expect(driver.pipeline.isReadingPaused)
        #expect(driver.after { $0.consumerGone(q1) } == ["send cancel", "resume reading"])
        #expect(driver.receive([Requests.row(2), .errorResponse(Backend.error("57014")), Backend.ready()]) == [
            "ready idle 0 left", "end #1",
        ])
        #expect(driver.after { $0.cancelDelivered() } == ["stop ticks"])
    }

    @Test func aConsumerThatCatchesUpResumesReading() {
        var driver = PipelineDriver()
        #expect(driver.after { $0.consumerWantsMore(q1) }.isEmpty)
        _ = driver.after { $0.consumerFellBehind() }
        #expect(driver.after { $0.consumerWantsMore(q1) } == ["resume reading"])
        #expect(!driver.pipeline.isReadingPaused)
    }

    @Test func aRequestThatCannotBeWrittenFailsBeforeAByteAndLeavesTheCacheAsItWas() {
        var driver = PipelineDriver()
        #expect(driver.submit(q1, Requests.query("SELECT '\u{0}'")) == ["fail #1 invalid", "end #1"])
        #expect(driver.submit(q2, Requests.query(bytes: Int(Int32.max))) == ["fail #2 invalid", "end #2"])
        #expect(driver.submit(q3, .simple("SELECT '\u{0}'")) == ["fail #3 invalid", "end #3"])
        #expect(driver.pipeline.statementCache.count == 0)
        #expect(driver.pipeline.requestsInFlight == 0)
    }

    @Test func aLargeBatchHoldsLaterRequestsUntilItIsWritten() {
        var driver = PipelineDriver()
        driver.pipeline.submit(q1, .repeated(Requests.spec("SELECT $1::int4"), count: 4, largestSetBytes: 8))
        guard case .write(_, .batch(let writes, from: 0)) = driver.pipeline.nextAction() else {
            Issue.record("the batch was not written")
            return
        }
        // The socket filled after two statements.
        driver.pipeline.batchWritten(upTo: 2)
        #expect(driver.submit(q2, Requests.query("SELECT 2")).isEmpty)
        #expect(driver.after { $0.writabilityChanged(isWritable: false) }.isEmpty)
        #expect(driver.after { $0.writabilityChanged(isWritable: true) } == [
            "write #1 batch from 2: bind pgwire_1 execute | bind pgwire_1 execute",
            "write #2 parse bind pgwire_2 describe execute",
        ])
        #expect(writes.count == 4)
    }

    @Test func aFullSocketHoldsRequestsUntilItDrains() {
        var driver = PipelineDriver()
        _ = driver.after { $0.writabilityChanged(isWritable: false) }
        #expect(driver.submit(q1, Requests.query()).isEmpty)
        #expect(driver.after { $0.writabilityChanged(isWritable: true) } == ["write #1 parse bind pgwire_1 describe execute"])
    }

    @Test func aBrokenConnectionFailsRequestsInFlightAsSentAndHeldOnesAsNot() {
        var driver = PipelineDriver()
        _ = driver.submit(q1, .copyIn("COPY t FROM STDIN"))
        _ = driver.submit(q2, Requests.query())
        #expect(driver.after { $0.connectionClosed() } == [
            "close the connection was closed", "fail #2 connection the connection was closed sent false", "end #2",
            "fail #1 connection the connection was closed sent true", "end #1",
        ])
        #expect(driver.submit(q3, Requests.query()) == ["fail #3 connection the connection is closing sent false", "end #3"])
    }

    @Test func closingFailsWhatIsInFlightAndTerminates() {
        var driver = PipelineDriver()
        _ = driver.submit(q1, Requests.query())
        #expect(driver.after { $0.closeRequested() } == [
            "terminate", "fail #1 connection the connection was closed by the client sent true", "end #1",
        ])
    }

    @Test func aPreparedStatementReportsItsColumnsAndChangesTheSession() {
        var driver = PipelineDriver()
        #expect(driver.submit(q1, .prepare(name: "mine", sql: "SELECT $1::int4", parameterTypes: [.int4])) == ["write #1 prepare"])
        let answer: [BackendMessage] = [
            .parseComplete, .parameterDescription(.init(dataTypes: [.int4])), .rowDescription(Requests.oneColumn), Backend.ready(),
        ]
        #expect(driver.receive(answer) == ["ready idle 0 left", "session changed", "prepared #1 1 columns", "end #1"])
        // Run by name, the cache neither knows nor manages it.
        let spec = Requests.spec(
            "SELECT $1::int4", prepared: PreparedStatementName(name: "mine", columns: PGColumns(Requests.oneColumn)))
        #expect(driver.submit(q2, .query(spec)) == ["write #2 bind mine execute"])
        #expect(driver.pipeline.statementCache.count == 0)
    }

    @Test func discardAllEmptiesTheCache() {
        var driver = PipelineDriver()
        _ = driver.submit(q1, Requests.query())
        _ = driver.receive(Requests.parsedAnswer(rows: 1))
        _ = driver.submit(q2, .simple("DISCARD ALL"))
        #expect(driver.receive([.commandComplete(.init(tag: "DISCARD ALL")), Backend.ready()]) == [
            "ready idle 0 left", "results #2 DISCARD ALL 0 rows", "end #2",
        ])
        #expect(driver.submit(q3, Requests.query()) == ["write #3 parse bind pgwire_2 describe execute"])
    }

    // Found by the random interleavings: a Close held behind other requests was put back behind
    // them on every release, forever.
    @Test func aCloseHeldBehindOtherRequestsIsWrittenInItsTurn() {
        var driver = PipelineDriver()
        _ = driver.submit(q1, Requests.query())
        _ = driver.receive(Requests.parsedAnswer(rows: 1))
        _ = driver.submit(q2, Requests.query())
        _ = driver.after { $0.writabilityChanged(isWritable: false) }
        #expect(driver.submit(q3, Requests.query("SELECT 3")).isEmpty)
        #expect(driver.receive([.errorResponse(Requests.stalePlan), Backend.ready()]) == ["ready idle 2 left"])
        #expect(driver.pipeline.requestsHeld == 3)
        #expect(driver.after { $0.writabilityChanged(isWritable: true) } == [
            "write #2 parse bind pgwire_2 describe execute",
            "write #3 parse bind pgwire_3 describe execute",
            "write \(Self.internalID) close pgwire_1",
        ])
        #expect(driver.pipeline.requestsHeld == 0)
    }

    // Found by the random interleavings: a cancel for a statement whose whole result was handed
    // over (only its ReadyForQuery to come) could close the connection and fail it a second time.
    @Test func aStatementThatHasEndedIsNotCancelled() {
        var driver = PipelineDriver()
        _ = driver.submit(q1, Requests.query())
        let ended: [BackendMessage] = [
            .parseComplete, .bindComplete, .rowDescription(Requests.oneColumn), Requests.row(1),
            .commandComplete(.init(tag: "SELECT 1")),
        ]
        #expect(driver.receive(ended) == ["deliver #1 1 columns 1 rows complete SELECT 1"])
        #expect(driver.after { $0.cancelRequested(q1) }.isEmpty)
        // If the connection breaks now, the caller keeps the result it has.
        #expect(driver.after { $0.connectionClosed() } == ["close the connection was closed", "end #1"])
    }
}
