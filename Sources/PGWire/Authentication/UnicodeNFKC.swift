// The only file of PGWire that needs full Foundation: neither the Swift 6.3 standard library nor
// FoundationEssentials offers compatibility normalization (NFKC) on Linux; Foundation's does, via
// its bundled ICU.
import Foundation

/// Unicode Normalization Form KC, for SASLprep.
enum UnicodeNFKC {
    /// The UTF-8 bytes of the NFKC form of a sequence of scalars.
    static func utf8(normalizing scalars: [Unicode.Scalar]) -> [UInt8] {
        var text = ""
        text.unicodeScalars.append(contentsOf: scalars)
        return Array(text.precomposedStringWithCompatibilityMapping.utf8)
    }
}
