// PGLocalCluster: a throwaway PostgreSQL for tests, demos and benchmarks.
