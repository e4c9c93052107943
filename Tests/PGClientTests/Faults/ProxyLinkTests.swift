import Testing

@testable import PGLocalCluster

/// The proxy's decisions, without sockets: framing of both directions through the startup
/// phase, counting of messages, and each fault's cut.
@Suite("Fault proxy link")
struct ProxyLinkTests {
    static func message(_ type: Character?, _ text: String) -> [UInt8] {
        PGProxyMessage(type: type?.asciiValue, body: Array(text.utf8) + [0]).bytes
    }

    static let startup: [UInt8] = {
        var body: [UInt8] = [0, 3, 0, 0] + Array("user".utf8) + [0] + Array("alice".utf8) + [0, 0]
        return PGProxyMessage(type: nil, body: body).bytes
    }()

    static let sslRequest: [UInt8] = [0, 0, 0, 8, 0x04, 0xD2, 0x16, 0x2F]

    @Test func framingFollowsTheStartupPhaseAndKeepsMessagesWhole() {
        var framer = ProxyMessageFramer(mode: .untyped)
        let query = Self.message("Q", "SELECT 1")
        let bytes = Self.startup + query
        // Fed in two cuts through the middle of the query: nothing is given before it is whole.
        let first = framer.append(Array(bytes[..<(Self.startup.count + 3)]))
        #expect(first.count == 1)
        #expect(framer.mode == .typed)
        let second = framer.append(Array(bytes[(Self.startup.count + 3)...]))
        #expect(second == [.message(PGProxyMessage(type: UInt8(ascii: "Q"), body: Array("SELECT 1".utf8) + [0]))])
    }

    @Test func anSSLRequestIsAnsweredByOneByteAndTLSStopsTheFraming() {
        var link = ProxyLink()
        _ = link.received(Self.sslRequest, travelling: .toServer, faults: [])
        // 'N': the session goes on in plaintext and is framed as usual.
        #expect(link.received([UInt8(ascii: "N")], travelling: .toClient, faults: []) == [.forward([UInt8(ascii: "N")], .toClient)])
        var tls = ProxyLink()
        _ = tls.received(Self.sslRequest, travelling: .toServer, faults: [])
        _ = tls.received([UInt8(ascii: "S")], travelling: .toClient, faults: [])
        // After 'S' the bytes are a TLS handshake: passed as they come, whatever they look like.
        let handshake: [UInt8] = [0x16, 0x03, 0x01, 0x00, 0x05]
        #expect(tls.received(handshake, travelling: .toServer, faults: []) == [.forward(handshake, .toServer)])
    }

    @Test func theNthMatchingMessageTriggersAfterItIsForwarded() {
        var link = ProxyLink()
        let faults: [PGFault] = [.afterMessage(.init(.toServer, "Q", occurrence: 2, containing: "COMMIT"), .stall)]
        _ = link.received(Self.startup, travelling: .toServer, faults: faults)
        let commit = Self.message("Q", "COMMIT")
        let other = Self.message("Q", "SELECT 1")
        #expect(link.received(commit + other, travelling: .toServer, faults: faults) == [.forward(commit, .toServer), .forward(other, .toServer)])
        #expect(link.received(commit + other, travelling: .toServer, faults: faults) == [.forward(commit, .toServer), .act(.stall)])
        #expect(link.isStalled)
        #expect(link.received(other, travelling: .toServer, faults: faults).isEmpty)
        #expect(link.received(Self.message("Z", "I"), travelling: .toClient, faults: faults).isEmpty)
    }

    @Test func aMessageReplacedByAFaultIsNotForwarded() {
        var link = ProxyLink()
        let faults: [PGFault] = [.insteadOfMessage(.init(.toClient, "C"), .reset)]
        let row = Self.message("D", "row")
        let complete = Self.message("C", "SELECT 1")
        #expect(link.received(row + complete, travelling: .toClient, faults: faults) == [.forward(row, .toClient), .act(.reset)])
        #expect(link.isEnded)
    }

    @Test func afterBytesCutsInsideAChunkAndCountsFromTheLastChange() {
        var link = ProxyLink()
        _ = link.received(Self.startup, travelling: .toServer, faults: [])
        link.faultsChanged()
        let query = Self.message("Q", "SELECT 1")
        let faults: [PGFault] = [.afterBytes(3, .toServer, .close)]
        #expect(link.received(query, travelling: .toServer, faults: faults) == [.forward(Array(query.prefix(3)), .toServer), .act(.close)])
    }

    @Test func aStalledDirectionDropsItsBytesAndTheOtherFlows() {
        var link = ProxyLink()
        let faults: [PGFault] = [.stall(.toClient)]
        _ = link.received(Self.startup, travelling: .toServer, faults: faults)
        #expect(link.received(Self.message("Z", "I"), travelling: .toClient, faults: faults).isEmpty)
        let query = Self.message("Q", "SELECT 1")
        #expect(link.received(query, travelling: .toServer, faults: faults) == [.forward(query, .toServer)])
    }

    @Test func rewritesApplyToTypedMessagesOfTheirDirection() {
        var link = ProxyLink()
        let faults: [PGFault] = [.rewrite(.toClient) { PGProxyMessage(type: $0.type, body: $0.body.map { $0 == UInt8(ascii: "a") ? UInt8(ascii: "b") : $0 }) }]
        #expect(link.received(Self.message("T", "a"), travelling: .toClient, faults: faults) == [.forward(Self.message("T", "b"), .toClient)])
        _ = link.received(Self.startup, travelling: .toServer, faults: faults)
        let query = Self.message("Q", "a")
        #expect(link.received(query, travelling: .toServer, faults: faults) == [.forward(query, .toServer)])
    }

    @Test func aNonsenseLengthStopsTheFramingWithoutLosingBytes() {
        var framer = ProxyMessageFramer(mode: .typed)
        let bytes: [UInt8] = [UInt8(ascii: "Q"), 0, 0, 0, 1, 9, 9]
        #expect(framer.append(bytes) == [.raw(bytes)])
        #expect(framer.mode == .raw)
    }
}
