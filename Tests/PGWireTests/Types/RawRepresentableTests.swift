import NIOCore
import Testing

@testable import PGWire

private enum Priority: Int16, PGRawRepresentable { case low = 1, normal, high }
private enum Status: String, PGRawRepresentable { case open, paid }
private enum Mood: String, PGEnum { case happy, sad, unicode = "ünïcödé" }

@Suite("RawRepresentable and PostgreSQL enums")
struct RawRepresentableTests {
    @Test func rawValues() throws {
        #expect(Priority.pgDataType == .int2)
        #expect(hex(try encoded(Priority.high, .binary)) == "0003")
        #expect(try decoded(Priority.self, bytes(hex: "0002"), .int2, .binary) == .normal)
        #expect(Status.pgDataType == .text)
        #expect(hex(try encoded(Status.paid, .binary)) == "70616964")
        #expect(try decoded(Status.self, text: "open", .varchar) == .open)
    }

    @Test func aRawValueThatIsNoCaseIsAnError() {
        let kind = decodingErrorKind { _ = try decoded(Priority.self, bytes(hex: "0009"), .int2, .binary) }
        #expect(kind == .invalidValue(reason: "\"9\" is not a case of Priority"))
        #expect(decodingErrorKind { _ = try decoded(Priority.self, bytes(hex: "00000002"), .int4, .binary) } == .typeMismatch(expected: [.int2], actual: .int4))
    }

    @Test func postgresEnums() throws {
        // Sent without an OID, so that the server infers the enum type; the bytes are the label.
        #expect(Mood.pgDataType == .unspecified)
        #expect(hex(try encoded(Mood.unicode, .binary)) == hex(ByteBuffer(string: "ünïcödé")))
        // enum_send's bytes under a user-defined OID, the text form, and a loaded enum read as text.
        let moodOID = PGDataType(16_402)
        #expect(try decoded(Mood.self, ByteBuffer(string: "sad"), moodOID, .binary) == .sad)
        #expect(try decoded(Mood.self, text: "happy", moodOID) == .happy)
        #expect(try decoded(Mood.self, ByteBuffer(string: "happy"), .text, .binary) == .happy)
        #expect(isInvalidValue(decodingErrorKind { _ = try decoded(Mood.self, ByteBuffer(string: "angry"), moodOID, .binary) }))
        // Still not any type at all.
        #expect(decodingErrorKind { _ = try decoded(Mood.self, bytes(hex: "00000001"), .int4, .binary) } != nil)
    }
}
