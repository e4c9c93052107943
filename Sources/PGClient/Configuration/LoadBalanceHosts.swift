extension PGConfig {
    /// libpq's `load_balance_hosts`: the order in which the hosts are tried.
    public enum LoadBalanceHosts: String, CaseIterable, Hashable, Sendable {
        /// In the order given.
        case disable
        /// In a random order, to spread connections over the hosts.
        case random
    }
}
