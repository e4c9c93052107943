import Foundation
import NIOCore
import NIOPosix

#if canImport(Glibc)
import Glibc
#endif

/// A network namespace joined to this one by a veth pair, for links that can be cut the way a
/// real network fails: taking a veth end down drops every packet, so neither side's kernel
/// answers — a half-open link that only timeouts can find (a proxy in between would still
/// acknowledge). Needs root, and `ip` (iproute2); the namespace, the pair and the event loop
/// thread that joins the namespace are the test's own and go away with it.
final class NetworkNamespace: Sendable {
    let name: String
    /// This side's address (the root namespace's end).
    let hostAddress: String
    /// The namespace's address.
    let namespaceAddress: String
    private let hostEnd: String

    private init(name: String, subnet: (UInt8, UInt8), hostEnd: String) {
        self.name = name
        self.hostEnd = hostEnd
        hostAddress = "10.\(subnet.0).\(subnet.1).1"
        namespaceAddress = "10.\(subnet.0).\(subnet.1).2"
    }

    /// Creates a namespace and a veth pair with a /30 of its own between it and this one.
    static func create() throws -> NetworkNamespace {
        let tag = String(UInt32.random(in: 0...0xFFFFF), radix: 16)
        let namespace = NetworkNamespace(
            name: "pgw-\(tag)", subnet: (UInt8.random(in: 200...250), UInt8.random(in: 0...255) & 0xFC),
            hostEnd: "pgw\(tag)h")
        let inner = "pgw\(tag)n"
        let mask = "/30"
        do {
            try run("ip", "netns", "add", namespace.name)
            try run("ip", "link", "add", namespace.hostEnd, "type", "veth", "peer", "name", inner)
            try run("ip", "link", "set", inner, "netns", namespace.name)
            try run("ip", "addr", "add", namespace.hostAddress + mask, "dev", namespace.hostEnd)
            try run("ip", "link", "set", namespace.hostEnd, "up")
            try run("ip", "netns", "exec", namespace.name, "ip", "addr", "add", namespace.namespaceAddress + mask, "dev", inner)
            try run("ip", "netns", "exec", namespace.name, "ip", "link", "set", inner, "up")
            try run("ip", "netns", "exec", namespace.name, "ip", "link", "set", "lo", "up")
        } catch {
            namespace.remove()
            throw error
        }
        return namespace
    }

    /// An event loop group of one thread that lives in the namespace: every socket it opens
    /// (a connection's) belongs there.
    func eventLoopGroup() async throws -> MultiThreadedEventLoopGroup {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let path = "/run/netns/\(name)"
        try await group.next().submit {
            try Self.joinNamespace(at: path)
        }.get()
        return group
    }

    /// Drops every packet between the two sides from now on.
    func cutLink() throws {
        try Self.run("ip", "link", "set", hostEnd, "down")
    }

    /// Removes the namespace (and with it the veth pair).
    func remove() {
        try? Self.run("ip", "netns", "del", name)
        try? Self.run("ip", "link", "del", hostEnd)
    }

    /// Moves the calling thread into the namespace at `path` (setns(2), looked up at run time:
    /// Glibc's module map does not declare it).
    private static func joinNamespace(at path: String) throws {
        typealias SetNS = @convention(c) (Int32, Int32) -> Int32
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "setns") else {
            throw TestSupportError("setns is not available")
        }
        let setns = unsafeBitCast(symbol, to: SetNS.self)
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { throw TestSupportError("cannot open \(path): errno \(errno)") }
        defer { close(descriptor) }
        let cloneNewNet: Int32 = 0x4000_0000
        guard setns(descriptor, cloneNewNet) == 0 else { throw TestSupportError("setns failed: errno \(errno)") }
    }

    private static func run(_ arguments: String...) throws {
        let process = Process()
        // iproute2's `ip` is in /usr/sbin (or /sbin), which a test's PATH may not hold.
        let tool = ["/usr/sbin/\(arguments[0])", "/sbin/\(arguments[0])"].first { FileManager.default.isExecutableFile(atPath: $0) }
        process.executableURL = URL(fileURLWithPath: tool ?? "/usr/bin/\(arguments[0])")
        process.arguments = Array(arguments.dropFirst())
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            throw TestSupportError("\(arguments.joined(separator: " ")) failed: \(message)")
        }
    }
}
