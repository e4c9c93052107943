/// Which command tags mean that a statement changed the session beyond its transaction. Checked
/// for every completed statement, so it looks at the first byte before comparing strings.
package enum SessionChange {
    package static func changesSession(commandTag tag: String) -> Bool {
        // No tag that changes the session ends in a digit; the row count of the commonest
        // ones (`SELECT 1`, `INSERT 0 1`) answers at once, with no comparison of text.
        guard let first = tag.utf8.first else { return false }
        let last = tag.utf8.withContiguousStorageIfAvailable { $0.last } ?? tag.utf8.last
        if let last, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(last) { return false }
        switch first {
        case UInt8(ascii: "S"):
            return tag == "SET"
        case UInt8(ascii: "R"):
            return tag == "RESET"
        case UInt8(ascii: "L"):
            return tag == "LISTEN" || tag == "LOAD"
        case UInt8(ascii: "P"):
            return tag == "PREPARE"
        case UInt8(ascii: "D"):
            // DISCARD ALL is the reset itself; the partial ones leave the rest of the state.
            return tag == "DECLARE CURSOR" || (tag.hasPrefix("DISCARD") && tag != "DISCARD ALL")
        case UInt8(ascii: "C"):
            // The tag does not say whether the table is temporary; assume it may be.
            return tag == "CREATE TABLE" || tag == "CREATE TABLE AS" || tag == "CREATE SEQUENCE"
                || tag == "CREATE VIEW"
        default:
            return false
        }
    }
}
