import NIOCore
import PGClient
import PGWire

/// The `copy` entry: the first byte is a selector, the rest is binary COPY data (the format of
/// `COPY … TO STDOUT (FORMAT binary)` and of ``PGCopyRow``), read by ``BinaryCopyReader``. For
/// each row and each codec type, the fields that decode as that type are written again by
/// `PGCopyRow.write` into a new COPY stream, which must read back to the same fields and values:
/// decode → encode → decode gives the same value, and encode → decode → encode the same bytes.
/// A field whose encoding fails (made to fail at a place the selector picks) must leave the
/// stream as it was, with an encoding error.
///
/// The same bytes also go through the COPY sub-protocol's messages: split into CopyData chunks
/// (the selector picks the size) in both directions, they decode to the same chunks; and the
/// CopyFail a client sends when its COPY source throws an error described by those bytes must
/// be a message that encodes and decodes again.
enum CopyFuzzing {
    static func run(_ input: [UInt8]) {
        guard let selector = input.first else { return }
        let data = ByteBuffer(bytes: input.dropFirst())
        checkMessages(data, pieceSize: Int(selector & 0x3F) + 1)
        checkCopyFail(String(decoding: input.dropFirst(), as: UTF8.self))
        guard let copy = BinaryCopyReader(data) else { return }
        for row in copy.rows.prefix(16) {
            let fields = Array(row.prefix(16))
            CopyCodecs.check(fields)
            checkFailingField(fields.count, at: Int(selector >> 6))
        }
    }

    /// CopyData chunks survive framing as frontend and as backend messages.
    static func checkMessages(_ data: ByteBuffer, pieceSize: Int) {
        var chunks: [ByteBuffer] = []
        var rest = data
        while rest.readableBytes > 0, let chunk = rest.readSlice(length: min(pieceSize, rest.readableBytes)) {
            chunks.append(chunk)
        }
        var frontend = ByteBuffer()
        var backend = ByteBuffer()
        do {
            for chunk in chunks {
                try FrontendMessage.copyData(.init(data: chunk)).encode(into: &frontend)
                BackendMessage.copyData(.init(data: chunk)).encode(into: &backend)
            }
            try FrontendMessage.copyDone.encode(into: &frontend)
            BackendMessage.copyDone.encode(into: &backend)
        } catch {
            fuzzCheck(false, "COPY data does not encode: \(error)")
        }
        var frontendDecoder = FrontendMessageDecoder(maximumMessageSize: 1 << 20)
        frontendDecoder.expectsStartupMessage = false
        let backendDecoder = BackendMessageDecoder()
        var sent: [FrontendMessage] = []
        var received: [BackendMessage] = []
        do {
            while let message = try frontendDecoder.decode(from: &frontend) { sent.append(message) }
            while let message = try backendDecoder.decode(from: &backend) { received.append(message) }
        } catch {
            fuzzCheck(false, "COPY data does not decode: \(error)")
        }
        let expectedSent = chunks.map { FrontendMessage.copyData(.init(data: $0)) } + [FrontendMessage.copyDone]
        let expectedReceived = chunks.map { BackendMessage.copyData(.init(data: $0)) } + [BackendMessage.copyDone]
        fuzzCheck(sent == expectedSent, "CopyData changed on the way out")
        fuzzCheck(received == expectedReceived, "CopyData changed on the way in")
    }

    /// The CopyFail that aborts a COPY whose source threw: whatever the error says, the message
    /// must go out, or the server waits for COPY data forever.
    static func checkCopyFail(_ reason: String) {
        let message = FrontendMessage.copyFail(.init(message: PGConnection.copyFailMessage(reason)))
        var buffer = ByteBuffer()
        do {
            try message.encode(into: &buffer)
        } catch {
            fuzzCheck(false, "the CopyFail for a source's error does not encode: \(error)")
            return
        }
        var decoder = FrontendMessageDecoder(maximumMessageSize: 1 << 20)
        decoder.expectsStartupMessage = false
        fuzzCheck((try? decoder.decode(from: &buffer)) == message, "the CopyFail does not decode to itself")
    }

    /// A row whose field `index % (count + 1)` fails to encode leaves the stream unchanged.
    static func checkFailingField(_ count: Int, at index: Int) {
        let failing = index % (count + 1)
        var fields = Array(repeating: AnyField(Int32(7)), count: count + 1)
        fields[failing] = AnyField(FailingField())
        var buffer = ByteBuffer(bytes: PGCopyRow.header)
        let before = buffer
        do throws(PGError) {
            try writeRows(fields, into: &buffer)
            fuzzCheck(false, "a row with a failing field was written")
        } catch {
            fuzzCheck(error.kind == .encoding, "a failing field gave \(error)")
        }
        // Rows of up to four fields: only the failing one's row is undone.
        let written = failing / 4 * 4
        var expected = before
        do {
            try writeRows(Array(fields[..<written]), into: &expected)
        } catch {
            fuzzCheck(false, "fields that encode failed: \(error)")
        }
        fuzzCheck(buffer == expected, "a failed row left bytes behind")
    }

    /// Writes `fields` through `PGCopyRow.write`, four to a row (its values are a parameter
    /// pack, so the arity is static).
    static func writeRows(_ fields: [AnyField], into buffer: inout ByteBuffer) throws(PGError) {
        var start = 0
        while start < fields.count {
            let f = fields[start..<min(start + 4, fields.count)].map { $0 }
            switch f.count {
            case 1: try PGCopyRow.write(f[0], into: &buffer)
            case 2: try PGCopyRow.write(f[0], f[1], into: &buffer)
            case 3: try PGCopyRow.write(f[0], f[1], f[2], into: &buffer)
            default: try PGCopyRow.write(f[0], f[1], f[2], f[3], into: &buffer)
            }
            start += 4
        }
    }
}

/// Any encodable value, encoded as itself (binary COPY carries no types).
struct AnyField: PGEncodable {
    static var pgDataType: PGDataType { .unspecified }
    let value: any PGEncodable

    init(_ value: any PGEncodable) { self.value = value }

    func encode(into buffer: inout ByteBuffer, format: PGFormat) throws(PGEncodingError) {
        try value.encode(into: &buffer)
    }

    func encodeWithLength(into buffer: inout ByteBuffer, format: PGFormat) throws(PGEncodingError) {
        try value.encodeWithLength(into: &buffer)
    }
}

/// A value whose encoding writes a few bytes, then fails.
struct FailingField: PGEncodable {
    static var pgDataType: PGDataType { .int4 }

    func encode(into buffer: inout ByteBuffer, format: PGFormat) throws(PGEncodingError) {
        buffer.writeBytes([1, 2, 3])
        throw PGEncodingError("made to fail", dataType: .int4, swiftType: "FailingField")
    }
}
