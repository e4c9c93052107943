import Foundation
import Testing

/// Every ```swift block of the README and the guides is compiled in `DocSamples.swift`: this
/// checks that each one appears there line for line (indentation, blank lines and imports
/// aside), so a sample cannot drift from code that builds.
@Suite("Documentation samples")
struct DocSampleTests {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The README and every article of the DocC catalogs (`Sources/*/*.docc/*.md`).
    static let documents: [String] = {
        var found = ["README.md"]
        let sources = root.appendingPathComponent("Sources")
        let modules = (try? FileManager.default.contentsOfDirectory(atPath: sources.path)) ?? []
        for module in modules.sorted() {
            let catalogs = (try? FileManager.default.contentsOfDirectory(
                atPath: sources.appendingPathComponent(module).path)) ?? []
            for catalog in catalogs.sorted() where catalog.hasSuffix(".docc") {
                let folder = "Sources/\(module)/\(catalog)"
                let articles = (try? FileManager.default.contentsOfDirectory(
                    atPath: root.appendingPathComponent(folder).path)) ?? []
                found += articles.sorted().filter { $0.hasSuffix(".md") }.map { "\(folder)/\($0)" }
            }
        }
        return found
    }()

    @Test func theCatalogsAreFound() {
        #expect(Self.documents.contains("Sources/PGClient/PGClient.docc/GettingStarted.md"))
        #expect(Self.documents.count >= 10)
    }

    static func significantLines(_ text: some StringProtocol) -> [String] {
        text.split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty && !$0.hasPrefix("import ") }
    }

    static func swiftBlocks(in markdown: String) -> [String] {
        var blocks: [String] = []
        var current: [Substring]?
        for line in markdown.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if current == nil, trimmed == "```swift" {
                current = []
            } else if current != nil, trimmed == "```" {
                blocks.append(current?.joined(separator: "\n") ?? "")
                current = nil
            } else {
                current?.append(line)
            }
        }
        return blocks
    }

    @Test(arguments: documents)
    func everySampleIsCompiled(_ document: String) throws {
        let markdown = try String(contentsOf: Self.root.appendingPathComponent(document), encoding: .utf8)
        let compiled = Self.significantLines(
            try String(contentsOf: Self.root.appendingPathComponent("Tests/FinancbaseTests/Docs/DocSamples.swift"), encoding: .utf8))
        let blocks = Self.swiftBlocks(in: markdown)
        for block in blocks {
            let lines = Self.significantLines(block)
            let found = lines.isEmpty || (0...(max(0, compiled.count - lines.count))).contains { start in
                compiled.count >= lines.count && Array(compiled[start..<(start + lines.count)]) == lines
            }
            #expect(found, "a sample of \(document) is not in DocSamples.swift:\n\(block)")
        }
    }
}
