// PGClient's public API speaks of wire-level values (PGDataType, PGFormat, BackendMessage fields
// of errors), so it depends on PGWire publicly; nothing is re-exported.
