// The value types of the core (PGNumeric, PGDate, PGColumns, BackendMessage, …) are part of
// PGClient's API: `import PGClient` alone must be enough to use it.
@_exported public import PGWire
