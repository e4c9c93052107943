import PGClient
import PGWire
import Testing

@Suite("PGQuery optional interpolation")
struct PGQueryOptionalTests {
    @Test("nil binds NULL with the wrapped type; a value binds as itself")
    func optionalBindsNullOrValue() {
        let missing: String? = nil
        let present: Int32? = 7
        let query: PGQuery = "UPDATE t SET memo = \(missing), n = \(present)"
        #expect(query.sql == "UPDATE t SET memo = $1, n = $2")
        #expect(query.bindings.dataTypes == [String.pgDataType, Int32.pgDataType])
        // NULL is length -1 and no bytes; 7 is length 4 and its four bytes.
        var bytes = query.bindings.bytes
        #expect(bytes.readInteger(as: Int32.self) == -1)
        #expect(bytes.readInteger(as: Int32.self) == 4)
        #expect(bytes.readInteger(as: Int32.self) == 7)
        #expect(bytes.readableBytes == 0)
    }
}
