import PGWire

/// The formats of a statement's parameters, kept as one shared code while every parameter has
/// the same format (almost always): Bind then sends that one code for all, and no list is made.
///
/// Inlinable: `PGBatch.append` is, so that it specializes in its caller's module.
@usableFromInline
struct PGParameterFormats: Sendable, Hashable {
    @usableFromInline var common: PGFormat = .binary
    /// Every parameter's format, once two differ; empty until then.
    @usableFromInline var mixed: [PGFormat] = []

    @inlinable init() {}

    /// Adds the format of parameter number `count + 1` (`count` parameters came before it).
    @inlinable mutating func append(_ format: PGFormat, after count: Int) {
        if count == 0 {
            common = format
        } else if !mixed.isEmpty {
            mixed.append(format)
        } else if format != common {
            mixed = Array(repeating: common, count: count)
            mixed.append(format)
        }
    }

    /// Every parameter's format, for `count` parameters.
    func all(count: Int) -> [PGFormat] {
        mixed.isEmpty ? Array(repeating: common, count: count) : mixed
    }

    /// The format codes Bind sends for `count` parameters: none without parameters, one when
    /// all share it (the protocol applies a single code to every parameter), else one each.
    func wire(count: Int) -> [PGFormat] {
        if count == 0 { return [] }
        if !mixed.isEmpty { return mixed }
        return common == .binary ? Self.binaryOnly : Self.textOnly
    }

    private static let binaryOnly: [PGFormat] = [.binary]
    private static let textOnly: [PGFormat] = [.text]
}
