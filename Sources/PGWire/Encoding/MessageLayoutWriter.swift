import NIOCore

/// Writes message fields into memory already reserved for them, for messages whose size is
/// known before writing: one capacity check and no per-field bookkeeping, which for the
/// messages of every statement (Bind, Execute) is most of their cost.
///
/// The caller reserves exactly the bytes it then writes; each write stays inside `bytes`.
struct MessageLayoutWriter {
    private let bytes: UnsafeMutableRawBufferPointer
    private(set) var offset = 0

    init(_ bytes: UnsafeMutableRawBufferPointer) {
        self.bytes = bytes
    }

    mutating func write(_ value: UInt8) {
        bytes.storeBytes(of: value, toByteOffset: offset, as: UInt8.self)
        offset += 1
    }

    mutating func write(_ value: UInt16) {
        bytes.storeBytes(of: value.bigEndian, toByteOffset: offset, as: UInt16.self)
        offset += 2
    }

    mutating func write(_ value: Int32) {
        bytes.storeBytes(of: value.bigEndian, toByteOffset: offset, as: Int32.self)
        offset += 4
    }

    mutating func write(_ value: UInt32) {
        bytes.storeBytes(of: value.bigEndian, toByteOffset: offset, as: UInt32.self)
        offset += 4
    }

    mutating func write(_ source: UnsafeRawBufferPointer) {
        guard let base = source.baseAddress, source.count > 0 else { return }
        UnsafeMutableRawBufferPointer(rebasing: bytes[offset..<(offset + source.count)])
            .copyMemory(from: UnsafeRawBufferPointer(start: base, count: source.count))
        offset += source.count
    }

    /// Writes the string's UTF-8 and a NUL; ``cStringSize(_:message:field:)`` checked it.
    mutating func writeCString(_ string: String) {
        // Most names written are empty (the unnamed portal and statement).
        if !string.isEmpty {
            var string = string
            string.withUTF8 { write(UnsafeRawBufferPointer($0)) }
        }
        write(UInt8(0))
    }

    /// The bytes a NUL-terminated string takes.
    ///
    /// - Throws: ``PGWireError`` when the string contains a NUL, which would end it early.
    static func cStringSize(_ string: String, message: String, field: String) throws(PGWireError) -> Int {
        if string.isEmpty { return 1 }
        if string.containsNUL {
            throw PGWireError(.invalidValue("a string containing a NUL byte"), message: message, field: field)
        }
        return string.utf8.count + 1
    }

    /// Checks that a list count fits the protocol's UInt16.
    static func checkCount16(_ count: Int, message: String, field: String) throws(PGWireError) {
        guard count <= Int(UInt16.max) else {
            throw PGWireError(.invalidValue("\(count) items, more than 65535"), message: message, field: field)
        }
    }
}

extension ByteBuffer {
    /// Reserves `size` bytes and lets `layout` write exactly them.
    mutating func writeLayout(size: Int, _ layout: (inout MessageLayoutWriter) -> Void) {
        writeReserved(size) { bytes in
            var writer = MessageLayoutWriter(bytes)
            layout(&writer)
            return writer.offset
        }
    }
}
