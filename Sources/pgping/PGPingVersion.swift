/// The version `pgping -V` reports: the pgwire-swift release it was built from.
enum PGPingVersion {
    /// No release is tagged yet (CHANGELOG.md has only "Unreleased"), so this is a development
    /// version; a release sets it with its tag.
    static let current = "0.1.0-dev"
}
