import Foundation
import Testing

@testable import PGWire

/// Checks the hand-made NFKC against Foundation's (ICU's) on every code point that SASLprep can
/// normalize, that is every one assigned in Unicode 3.2, and against Python's on mixed sequences
/// (Foundation on Linux gets some sequences wrong, see Scripts/auth/make_nfkc_cases.py).
@Suite("Unicode NFKC")
struct UnicodeNFKCTests {
    static func foundationNFKC(_ values: [UInt32]) -> [UInt32] {
        var text = ""
        text.unicodeScalars.append(contentsOf: values.compactMap(Unicode.Scalar.init))
        return text.precomposedStringWithCompatibilityMapping.unicodeScalars.map(\.value)
    }

    @Test func tablesAreParsed() {
        let data = UnicodeNFKC.Data.shared
        #expect(data.decompositions.count == 5795)
        #expect(data.compositions.count == 941)
        #expect(data.combiningClass(0x0301) == 230)
        #expect(data.combiningClass(0x0041) == 0)
        #expect(data.decompositions[0xFB01] == [0x66, 0x69])
    }

    @Test(
        arguments: [
            ([0x2168], [0x49, 0x58]),
            ([0xFB01], [0x66, 0x69]),
            ([0x00AA], [0x61]),
            ([0x0065, 0x0301], [0x00E9]),
            ([0x1100, 0x1161, 0x11A8], [0xAC01]),
            ([0xAC01], [0xAC01]),
            ([0x0041, 0x0323, 0x0302], [0x1EAC]),  // A + dot below + circumflex
            ([0x0041, 0x0302, 0x0323], [0x1EAC]),  // reordered first
            ([0x0061, 0x05AE, 0x0300, 0x0301], [0x00E0, 0x05AE, 0x0301]),
            ([0x0301, 0x0041], [0x0301, 0x0041]),  // leading non-starter
            // Marks from two decompositions, reordered together.
            ([0x0385, 0x0F73], [0x20, 0x0F71, 0x0F72, 0x0308, 0x0301]),
            // Ž decomposed, so Z composes with the dot below first.
            ([0x01C4, 0x0323], [0x44, 0x1E92, 0x030C]),
            ([0xAC00, 0x11A8], [0xAC01]),  // LV + T
        ] as [([UInt32], [UInt32])])
    func knownForms(input: [UInt32], expected: [UInt32]) {
        #expect(UnicodeNFKC.normalize(input) == expected)
    }

    @Test func everyCodePointAssignedInUnicode32MatchesFoundation() {
        var checked = 0
        var mismatches: [String] = []
        for value in UInt32(0)...0x10FFFF {
            guard let scalar = Unicode.Scalar(value),
                !SASLprep.contains(SASLprepTables.unassigned, scalar),
                // Private use, which both leave alone.
                !(0xE000...0xF8FF).contains(value), value < 0xF0000
            else { continue }
            checked += 1
            let ours = UnicodeNFKC.normalize([value])
            if ours != Self.foundationNFKC([value]) {
                mismatches.append(String(value, radix: 16))
            }
        }
        #expect(checked > 90_000)
        #expect(mismatches.isEmpty, "\(mismatches.prefix(20))")
    }

    /// Random mixes of starters, combining marks of several classes, Hangul jamo and syllables and
    /// compatibility characters, with Python's NFKC of each (Scripts/auth/make_nfkc_cases.py).
    static let pythonCases: [(input: [UInt32], expected: [UInt32])] =
        (try? AuthenticationFixtures.lines("nfkc-cases.txt"))?
        .map {
            $0.split(separator: ";").map {
                $0.split(separator: " ").compactMap { UInt32($0, radix: 16) }
            }
        }
        .compactMap { $0.count == 2 ? ($0[0], $0[1]) : nil } ?? []

    @Test func sequencesMatchPython() {
        #expect(Self.pythonCases.count == 1000)
        var mismatches = 0
        for (input, expected) in Self.pythonCases where UnicodeNFKC.normalize(input) != expected {
            mismatches += 1
            Issue.record(
                "\(input.map { String($0, radix: 16) }): \(UnicodeNFKC.normalize(input)) != \(expected)"
            )
            if mismatches > 5 { break }
        }
    }
}
