import PGClient

/// Counts the rows of a binary COPY stream fed in chunks of any size, and checks its framing:
/// the signature, the header extension, each tuple's field lengths, and the trailer at the end.
///
/// A pure value: the backup counts what the server sends, the restore what the file holds.
struct BinaryCopyRowCounter {
    /// What the next bytes are.
    private enum Step: Equatable {
        case signature, flags, extensionLength, fieldCount
        case fieldLength(left: Int)

        var width: Int {
            switch self {
            case .signature: 11
            case .flags, .extensionLength, .fieldLength: 4
            case .fieldCount: 2
            }
        }
    }

    private enum State: Equatable {
        case read(Step)
        case skip(Int, then: Step)
        case ended
    }

    /// Rows seen so far.
    private(set) var rows = 0
    private var state = State.read(.signature)
    private var partial: [UInt8] = []

    /// Whether the trailer has been read.
    var isComplete: Bool { state == .ended }

    /// Reads `bytes`, the next part of the stream.
    ///
    /// - Throws: a reason when the framing is wrong (bytes after the trailer, a bad signature,
    ///   negative lengths).
    mutating func consume(_ bytes: UnsafeRawBufferPointer) throws(Malformed) {
        var index = 0
        let count = bytes.count
        while index < count {
            switch state {
            case .ended:
                throw Malformed(reason: "data after the trailer")
            case .skip(let remaining, let next):
                let taken = min(remaining, count - index)
                index += taken
                state = taken == remaining ? .read(next) : .skip(remaining - taken, then: next)
            case .read(let step):
                let width = step.width
                if partial.isEmpty && count - index >= width {
                    try handle(step, UnsafeRawBufferPointer(rebasing: bytes[index..<(index + width)]))
                    index += width
                } else {
                    let taken = min(width - partial.count, count - index)
                    partial.append(contentsOf: bytes[index..<(index + taken)])
                    index += taken
                    if partial.count == width {
                        let field = partial
                        partial.removeAll(keepingCapacity: true)
                        try handle(step, field)
                    }
                }
            }
        }
    }

    /// The row count, once the whole stream has been read.
    ///
    /// - Throws: when the stream stopped before its trailer.
    func finish() throws(Malformed) -> Int {
        guard state == .ended else { throw Malformed(reason: "the stream ends before its trailer") }
        return rows
    }

    /// Acts on one fixed-width field (`field` indexed from 0).
    private mutating func handle<Field: RandomAccessCollection<UInt8>>(
        _ step: Step, _ field: Field
    ) throws(Malformed) where Field.Index == Int {
        switch step {
        case .signature:
            guard field.elementsEqual(PGCopyRow.header.prefix(11)) else {
                throw Malformed(reason: "not binary COPY data (bad signature)")
            }
            state = .read(.flags)
        case .flags:
            // Bit 16 says each row carries an OID first; tables here have none.
            guard Self.int32(field) & (1 << 16) == 0 else { throw Malformed(reason: "rows with OIDs") }
            state = .read(.extensionLength)
        case .extensionLength:
            let length = Self.int32(field)
            guard length >= 0 else { throw Malformed(reason: "negative header extension length") }
            state = length == 0 ? .read(.fieldCount) : .skip(Int(length), then: .fieldCount)
        case .fieldCount:
            let fields = Int16(bitPattern: UInt16(field[0]) << 8 | UInt16(field[1]))
            if fields == -1 {
                state = .ended
                return
            }
            guard fields >= 0 else { throw Malformed(reason: "negative field count \(fields)") }
            rows += 1
            state = fields == 0 ? .read(.fieldCount) : .read(.fieldLength(left: Int(fields)))
        case .fieldLength(let left):
            let length = Self.int32(field)
            let next: Step = left > 1 ? .fieldLength(left: left - 1) : .fieldCount
            guard length >= -1 else { throw Malformed(reason: "negative field length \(length)") }
            state = length <= 0 ? .read(next) : .skip(Int(length), then: next)
        }
    }

    private static func int32<Field: RandomAccessCollection<UInt8>>(_ field: Field) -> Int32
    where Field.Index == Int {
        Int32(bitPattern: UInt32(field[0]) << 24 | UInt32(field[1]) << 16 | UInt32(field[2]) << 8 | UInt32(field[3]))
    }

    /// Why the stream is not binary COPY data.
    struct Malformed: Error, Equatable {
        var reason: String
    }
}
