import Testing

@testable import PGClient

/// The text of an interpolated query: bytes in place while it fits, the caller's `String` once it
/// does not, the same text either way.
@Suite("SQLTextBuilder: an interpolated query's text")
struct SQLTextBuilderTests {
    /// Builds `pieces` (a placeholder for each `Int`, text for each `String`) expecting
    /// `expected` bytes.
    private func build(expecting expected: Int, _ pieces: [Any]) -> String {
        var builder = SQLTextBuilder()
        var text = ""
        builder.expect(expected, text: &text)
        for piece in pieces {
            if let number = piece as? Int {
                builder.appendPlaceholder(number, to: &text)
            } else if let string = piece as? String {
                builder.append(string, to: &text)
            }
        }
        builder.finish(&text)
        return text
    }

    private static let capacity = SQLTextBuilder.inlineCapacity

    @Test(arguments: [0, 1, 15, 16, capacity - 1, capacity, capacity + 1, 3 * capacity])
    func piecesMakeTheSameTextWhateverTheExpectedLength(expected: Int) {
        for length in [0, 1, 7, 15, 16, Self.capacity - 1, Self.capacity, Self.capacity + 1, 2 * Self.capacity + 5] {
            var pieces: [Any] = []
            var reference = ""
            var index = 0
            while reference.utf8.count < length {
                let letter = Character(Unicode.Scalar(UInt8(ascii: "a") + UInt8(index % 26)))
                let piece = String(repeating: letter, count: index % 3 + 1)
                pieces.append(piece)
                reference += piece
                index += 1
            }
            #expect(build(expecting: expected, pieces) == reference, "expected \(expected), length \(length)")
        }
    }

    @Test func placeholdersAtTheEndOfTheRoomInPlace() {
        #expect(build(expecting: 0, ["SELECT ", 1, "::int4"]) == "SELECT $1::int4")
        #expect(build(expecting: 0, ["SELECT ", 10, "::int4"]) == "SELECT $10::int4")
        for room in 0...4 {
            let head = String(repeating: "x", count: Self.capacity - room)
            for number in [7, 42, 100, 12_345] {
                #expect(build(expecting: 0, [head, number, "y"]) == head + "$\(number)y", "room \(room), $\(number)")
            }
        }
    }

    @Test(arguments: [
        (0, "$0"), (1, "$1"), (9, "$9"), (10, "$10"), (99, "$99"), (100, "$100"), (65_535, "$65535"),
        (Int.max, "$9223372036854775807"),
    ])
    func placeholdersAreADollarAndTheNumberInDecimal(number: Int, text: String) {
        #expect(build(expecting: 0, ["x = ", number]) == "x = " + text)
        #expect(build(expecting: 64, ["x = ", number]) == "x = " + text)
        #expect(SQLTextBuilder.placeholder(number) == text)
    }

    @Test func multiByteTextIsKeptAsItIs() {
        for expected in [0, 64] {
            #expect(build(expecting: expected, ["é = ", 1]) == "é = $1")
            #expect(build(expecting: expected, ["日本 ", 2, " €"]) == "日本 $2 €")
            #expect(
                build(expecting: expected, ["SELECT '€ and 日本' AS ", "\"naïve\""]) == "SELECT '€ and 日本' AS \"naïve\"")
        }
    }
}
