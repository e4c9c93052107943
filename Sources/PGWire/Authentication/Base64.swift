/// Strict standard base64 (RFC 4648 §4, with padding), for the values of SCRAM attributes.
///
/// FoundationEssentials' `Data(base64Encoded:)` is not used because it accepts input that RFC 4648
/// calls non-canonical (non-zero pad bits, such as `QR==`) and even decodes `====` to one zero byte;
/// a salt or a server signature that is not exactly what the server meant must be an error.
enum Base64 {
    private static let alphabet = Array(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    private static let padding = UInt8(ascii: "=")

    /// Maps an ASCII byte to its 6-bit value, or `0xFF` when it is not in the alphabet.
    private static let values: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (value, byte) in alphabet.enumerated() {
            table[Int(byte)] = UInt8(value)
        }
        return table
    }()

    /// Encodes bytes as padded base64 text.
    static func encode(_ bytes: some Collection<UInt8>) -> String {
        String(decoding: encodeToBytes(bytes), as: UTF8.self)
    }

    /// Encodes bytes as padded base64, returned as the ASCII bytes of the text.
    static func encodeToBytes(_ bytes: some Collection<UInt8>) -> [UInt8] {
        let input = Array(bytes)
        var output: [UInt8] = []
        output.reserveCapacity((input.count + 2) / 3 * 4)
        var index = 0
        while index < input.count {
            let remaining = input.count - index
            let first = input[index]
            let second = remaining > 1 ? input[index + 1] : 0
            let third = remaining > 2 ? input[index + 2] : 0
            output.append(alphabet[Int(first >> 2)])
            output.append(alphabet[Int((first & 0x03) << 4 | second >> 4)])
            output.append(
                remaining > 1 ? alphabet[Int((second & 0x0F) << 2 | third >> 6)] : padding)
            output.append(remaining > 2 ? alphabet[Int(third & 0x3F)] : padding)
            index += 3
        }
        return output
    }

    /// Decodes padded base64, or returns `nil` unless the input is canonical: a length that is a
    /// multiple of 4, only alphabet characters, at most two `=` and only at the end, and zero bits
    /// in the unused part of the last character. No whitespace is skipped.
    static func decode(_ text: some Collection<UInt8>) -> [UInt8]? {
        let input = Array(text)
        guard input.count % 4 == 0 else { return nil }
        var output: [UInt8] = []
        output.reserveCapacity(input.count / 4 * 3)
        var index = 0
        while index < input.count {
            let isLastGroup = index + 4 == input.count
            let paddingCount: Int
            if isLastGroup && input[index + 3] == padding {
                paddingCount = input[index + 2] == padding ? 2 : 1
            } else {
                paddingCount = 0
            }
            var group: UInt32 = 0
            for offset in 0..<(4 - paddingCount) {
                let value = values[Int(input[index + offset])]
                guard value != 0xFF else { return nil }
                group = group << 6 | UInt32(value)
            }
            switch paddingCount {
            case 0:
                output.append(UInt8(truncatingIfNeeded: group >> 16))
                output.append(UInt8(truncatingIfNeeded: group >> 8))
                output.append(UInt8(truncatingIfNeeded: group))
            case 1:
                guard group & 0x03 == 0 else { return nil }
                output.append(UInt8(truncatingIfNeeded: group >> 10))
                output.append(UInt8(truncatingIfNeeded: group >> 2))
            default:
                guard group & 0x0F == 0 else { return nil }
                output.append(UInt8(truncatingIfNeeded: group >> 4))
            }
            index += 4
        }
        return output
    }
}
