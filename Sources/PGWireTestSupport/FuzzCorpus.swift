import Foundation

/// The seed corpora of the fuzz entries (`Fixtures/fuzz/<entry>/`), which the suites replay
/// through the same scenarios and models as the fuzzer.
package enum FuzzCorpus {
    /// The repository's `Fixtures/fuzz/<entry>` folder.
    static func directory(_ entry: String) -> URL {
        URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent()  // PGWireTestSupport
            .deletingLastPathComponent()  // Sources
            .deletingLastPathComponent()  // the package
            .appendingPathComponent("Fixtures/fuzz/\(entry)")
    }

    /// The names of the entry's seeds (`*.bin`), sorted.
    package static func seeds(_ entry: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory(entry).path)) ?? [])
            .filter { $0.hasSuffix(".bin") }.sorted()
    }

    /// The bytes of one seed.
    ///
    /// - Throws: the error reading the file.
    package static func bytes(_ entry: String, _ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: directory(entry).appendingPathComponent(name)))
    }
}
