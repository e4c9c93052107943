@testable import PGLocalCluster
import Synchronization
import Testing

/// The servers a process stops at exit go in the reverse of their order, each once.
@Suite("Stops at exit")
struct ExitStopListTests {
    @Test func stopsRunNewestFirstAndOnlyOnce() async {
        let list = ExitStopList()
        let ran = Mutex<[String]>([])
        for name in ["cluster", "second cluster", "pgbouncer"] {
            list.add { ran.withLock { $0.append(name) } }
        }
        await list.runAll()
        #expect(ran.withLock { $0 } == ["pgbouncer", "second cluster", "cluster"])

        await list.runAll()
        #expect(ran.withLock { $0 }.count == 3)

        list.add { ran.withLock { $0.append("added after") } }
        await list.runAll()
        #expect(ran.withLock { $0 } == ["pgbouncer", "second cluster", "cluster", "added after"])
    }
}
