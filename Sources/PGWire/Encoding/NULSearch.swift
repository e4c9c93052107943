#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Finding the NUL byte that ends a C string, or that must not be in text, with `memchr`:
/// every statement's text, every text parameter and every command tag goes through here, and
/// walking a string's UTF-8 view or a `ByteBufferView` byte by byte cost a visible share of a
/// statement's client time.
enum NULSearch {
    /// The offset of the first NUL byte in `bytes`, or `nil`.
    static func offset(in bytes: UnsafeRawBufferPointer) -> Int? {
        guard let base = bytes.baseAddress, !bytes.isEmpty, let found = memchr(base, 0, bytes.count) else { return nil }
        return base.distance(to: UnsafeRawPointer(found))
    }
}

extension String {
    /// Whether the text holds a NUL byte: PostgreSQL refuses it in text values, and in the
    /// protocol's C strings it would end the string early.
    package var containsNUL: Bool {
        // Native and small strings (nearly all) keep their bytes together.
        utf8.withContiguousStorageIfAvailable { NULSearch.offset(in: UnsafeRawBufferPointer($0)) != nil }
            ?? utf8.contains(0)
    }
}
