import Foundation

/// How this binary links the Swift runtime, which the report names: a service is deployed built
/// with `swift build -c release --static-swift-stdlib` (the Vapor and Hummingbird templates'
/// Dockerfiles), and the shared runtime costs every runtime call that reads thread-local
/// state (exclusivity checks, the current task) a `__tls_get_addr` call (Docs/benchmarks.md,
/// step sixteen).
enum SwiftRuntimeLinkage: String {
    /// The runtime is in the binary (`--static-swift-stdlib`).
    case `static`
    /// The runtime is `libswiftCore.so`, loaded at start.
    case shared
    /// Not known: the process's mappings cannot be read (no `/proc`).
    case unknown

    /// This process's, from the files it has mapped (read once).
    static let current: SwiftRuntimeLinkage = {
        // Read to the end: a file in /proc reports a size of 0, and a read of that many bytes
        // (as `String(contentsOfFile:)` makes) gets nothing.
        guard let file = FileHandle(forReadingAtPath: "/proc/self/maps") else { return .unknown }
        defer { try? file.close() }
        guard let data = try? file.readToEnd(), !data.isEmpty else { return .unknown }
        return String(decoding: data, as: UTF8.self).contains("/libswiftCore.so") ? .shared : .static
    }()
}
