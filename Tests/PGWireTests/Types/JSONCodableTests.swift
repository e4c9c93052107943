import Foundation
import NIOCore
import Testing

@testable import PGWire

private struct Preferences: Codable, PGJSONCodable, Equatable {
    var theme: String
    var digest: Bool
}

/// A type with its own decoder settings.
private struct Event: Codable, PGJSONCodable, Equatable {
    var kind: String
    static var pgJSONDecoder: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return decoder
    }
    var occurredAt: Int
}

@Suite("Codable values as jsonb")
struct JSONCodableTests {
    @Test func encodesAsJSONB() throws {
        #expect(Preferences.pgDataType == .jsonb)
        // JSONEncoder's key order is its own: compare documents, not bytes.
        let value = Preferences(theme: "dark", digest: true)
        var binary = try encoded(value, .binary)
        #expect(binary.readInteger(as: UInt8.self) == 1)
        #expect(try JSONDecoder().decode(Preferences.self, from: Data(binary.readableBytesView)) == value)
        #expect(try JSONDecoder().decode(Preferences.self, from: Data(try encodedText(value).utf8)) == value)
        #expect(hex(try encoded(PGJSONValue([1, 2]), .binary)) == "01" + hex(ByteBuffer(string: "[1,2]")))
    }

    @Test func decodesJSONAndJSONB() throws {
        // jsonb_send of '{"b":[1,2],"a":"x"}' from PostgreSQL 15.
        let server = bytes(hex: "017b2261223a202278222c202262223a205b312c20325d7d")
        struct Doc: Codable, PGJSONCodable, Equatable { var a: String; var b: [Int] }
        #expect(try decoded(Doc.self, server, .jsonb, .binary) == Doc(a: "x", b: [1, 2]))
        #expect(try decoded(Doc.self, text: #"{"a": "y", "b": []}"#, .json) == Doc(a: "y", b: []))
        #expect(try decoded(PGJSONValue<[String: Int]>.self, text: #"{"n": 3}"#, .jsonb).value == ["n": 3])
        #expect(try decoded(Event.self, text: #"{"kind": "paid", "occurred_at": 7}"#, .jsonb) == Event(kind: "paid", occurredAt: 7))
    }

    @Test func failuresAreTyped() {
        // JSON of another shape, a column of another type, a bad jsonb version byte.
        let shape = decodingErrorKind { _ = try decoded(Preferences.self, text: #"{"theme": 1}"#, .jsonb) }
        #expect(isInvalidValue(shape))
        if case .invalidValue(let reason) = shape { #expect(reason.hasPrefix("JSONDecoder failed")) }
        #expect(decodingErrorKind { _ = try decoded(Preferences.self, text: "x", .text) } == .typeMismatch(expected: [.jsonb, .json], actual: .text))
        #expect(isInvalidValue(decodingErrorKind { _ = try decoded(Preferences.self, bytes(hex: "027b7d"), .jsonb, .binary) }))
        // A Double JSONEncoder cannot write.
        var buffer = ByteBuffer()
        #expect(throws: PGEncodingError.self) { try PGJSONValue(Double.nan).encode(into: &buffer, format: .binary) }
        #expect(buffer.readableBytes == 0)
    }
}
