/// Hexadecimal digits for bytes (file names, certificate serials, percent-encoding).
enum Hex {
    /// The two digits of `byte`, lowercase unless asked otherwise.
    static func digits(_ byte: UInt8, uppercase: Bool = false) -> String {
        let alphabet = Array(uppercase ? "0123456789ABCDEF" : "0123456789abcdef")
        return String(alphabet[Int(byte >> 4)]) + String(alphabet[Int(byte & 0x0F)])
    }
}
