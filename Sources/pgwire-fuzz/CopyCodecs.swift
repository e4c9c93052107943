import Foundation
import NIOCore
import PGClient
import PGWire

/// The codecs the `copy` entry tries on every field of a COPY row: each field that decodes as a
/// type is written again with the row's other such fields (NULL for the rest) by
/// `PGCopyRow.write`, read back, and must decode to the same value and re-encode to the same bytes.
enum CopyCodecs {
    static func check(_ fields: [ByteBuffer?]) {
        roundTrip(Bool.self, fields)
        roundTrip(Int16.self, fields)
        roundTrip(Int32.self, fields)
        roundTrip(Int64.self, fields)
        roundTrip(Float.self, fields) { $0.bitPattern == $1.bitPattern }
        roundTrip(Double.self, fields) { $0.bitPattern == $1.bitPattern }
        roundTrip(String.self, fields)
        roundTrip(ByteBuffer.self, fields)
        roundTrip(UUID.self, fields)
        roundTrip(PGChar.self, fields)
        roundTrip(PGJSON.self, fields)
        roundTrip(PGNumeric.self, fields)
        roundTrip(Decimal.self, fields) { $0 == $1 || ($0.isNaN && $1.isNaN) }
        roundTrip(PGDate.self, fields)
        roundTrip(PGTime.self, fields)
        roundTrip(PGTimeTZ.self, fields)
        roundTrip(PGTimestamp.self, fields)
        // Date holds seconds in a Double: the bytes must survive as far as its resolution allows.
        roundTrip(Date.self, fields, same: { _, _ in true }, sameBytes: dateBytesAgree)
        roundTrip(PGInterval.self, fields)
        roundTrip(PGInet.self, fields)
        roundTrip([Int32?].self, fields)
        roundTrip([String?].self, fields)
        roundTrip([PGNumeric?].self, fields)
    }

    static func roundTrip<T: PGCodable & Equatable>(_ type: T.Type, _ fields: [ByteBuffer?]) {
        roundTrip(type, fields, same: ==)
    }

    static func roundTrip<T: PGCodable>(
        _ type: T.Type, _ fields: [ByteBuffer?], same: (T, T) -> Bool,
        sameBytes: (T, ByteBuffer, ByteBuffer) -> Bool = { _, again, field in again == field }
    ) {
        let values: [T?] = fields.map { field in
            field.flatMap { try? T.decode(from: $0, type: T.pgDataType, format: .binary) }
        }
        guard values.contains(where: { $0 != nil }) else { return }
        var stream = ByteBuffer(bytes: PGCopyRow.header)
        do {
            try CopyFuzzing.writeRows(values.map { AnyField($0) }, into: &stream)
        } catch {
            fuzzCheck(false, "\(T.self) decoded from COPY data does not encode: \(error)")
            return
        }
        stream.writeBytes(PGCopyRow.trailer)
        guard let copy = BinaryCopyReader(stream, maximumRows: .max), copy.isComplete else {
            fuzzCheck(false, "PGCopyRow wrote \(T.self) values as COPY data that does not read back")
            return
        }
        let again = copy.rows.flatMap { $0 }
        fuzzCheck(again.count == values.count, "\(values.count) \(T.self) fields came back as \(again.count)")
        for (value, field) in zip(values, again) {
            guard let value else {
                fuzzCheck(field == nil, "a NULL \(T.self) came back as a value")
                continue
            }
            guard let field else {
                fuzzCheck(false, "\(T.self) \(value) came back as NULL")
                continue
            }
            let decoded: T
            do {
                decoded = try T.decode(from: field, type: T.pgDataType, format: .binary)
            } catch {
                fuzzCheck(false, "\(T.self) \(value) was written as bytes that do not decode: \(error)")
                continue
            }
            fuzzCheck(same(value, decoded), "\(T.self) \(value) came back as \(decoded)")
            var bytes = ByteBuffer()
            do {
                try decoded.encode(into: &bytes)
            } catch {
                fuzzCheck(false, "\(T.self) \(decoded) encoded once, not twice: \(error)")
            }
            fuzzCheck(sameBytes(decoded, bytes, field), "\(T.self) \(value) re-encodes to other bytes")
        }
    }

    /// A `Date` read from a timestamp must be sent back as the same microsecond between 1729 and
    /// 2273, and further out as one no further off than its `Double` can tell apart.
    static func dateBytesAgree(_ date: Date, _ again: ByteBuffer, _ field: ByteBuffer) -> Bool {
        guard
            let sent = try? PGTimestamp.decode(from: again, type: .timestamptz, format: .binary),
            let read = try? PGTimestamp.decode(from: field, type: .timestamptz, format: .binary)
        else { return false }
        let resolution = (date.timeIntervalSinceReferenceDate.ulp * 1e6).rounded(.up)
        let exactUntil = 8_589_934_592.0  // 2^33 seconds either side of 2001
        let allowed: Int64 =
            abs(date.timeIntervalSinceReferenceDate) < exactUntil ? 0 : Int64(resolution)
        return abs(sent.microsecondsSince2000 - read.microsecondsSince2000) <= allowed
    }
}
