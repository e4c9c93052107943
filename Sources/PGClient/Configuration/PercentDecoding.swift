/// Decodes the `%XX` escapes of one component of a connection URI, as libpq does: every byte may
/// be escaped, `%00` is forbidden, and the decoded bytes must be UTF-8.
///
/// - Parameters:
///   - component: the raw bytes of the component.
///   - key: the connection option the component belongs to, named by the error.
/// - Throws: ``PGConfigError`` with ``PGConfigError/Reason/malformedString(_:)`` for a bad escape.
///   The error never quotes a secret component.
func percentDecode<Bytes: Collection<UInt8>>(_ component: Bytes, key: String, isSecret: Bool)
    throws(PGConfigError) -> String
{
    var decoded: [UInt8] = []
    decoded.reserveCapacity(component.count)
    var index = component.startIndex
    func fail(_ problem: String) -> PGConfigError {
        let quoted = isSecret ? "" : ": \"\(String(decoding: component, as: UTF8.self))\""
        return PGConfigError(key: key, reason: .malformedString(problem + quoted))
    }
    while index != component.endIndex {
        let byte = component[index]
        component.formIndex(after: &index)
        guard byte == UInt8(ascii: "%") else {
            decoded.append(byte)
            continue
        }
        guard index != component.endIndex, let high = hexDigitValue(component[index]) else {
            throw fail("invalid percent-encoded token")
        }
        component.formIndex(after: &index)
        guard index != component.endIndex, let low = hexDigitValue(component[index]) else {
            throw fail("invalid percent-encoded token")
        }
        component.formIndex(after: &index)
        let value = high << 4 | low
        guard value != 0 else { throw fail("forbidden value %00 in percent-encoded value") }
        decoded.append(value)
    }
    guard let text = String(validating: decoded, as: UTF8.self) else {
        throw fail("percent-encoded bytes are not valid UTF-8")
    }
    return text
}

private func hexDigitValue(_ byte: UInt8) -> UInt8? {
    switch byte {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
    default: nil
    }
}
