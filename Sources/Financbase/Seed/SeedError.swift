/// Why the ``Seeder`` could not start.
public enum SeedError: Error, Sendable, Hashable, CustomStringConvertible {
    /// An option is out of range; `reason` says which.
    case invalidOptions(reason: String)

    public var description: String {
        switch self {
        case .invalidOptions(let reason): "invalid seed options: \(reason)"
        }
    }
}
