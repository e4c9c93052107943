/// Which command tags mean that a statement changed the session beyond its transaction. Checked
/// for every completed statement, so it looks at the first byte before comparing strings.
package enum SessionChange {
    package static func changesSession(commandTag tag: String) -> Bool {
        guard let first = tag.utf8.first else { return false }
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
