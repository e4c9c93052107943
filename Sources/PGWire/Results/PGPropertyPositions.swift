import Synchronization

/// The columns that `Decodable` properties map to, looked up once per property name and result.
///
/// `decode(as:)` asks for every property of every row; the snake_case fallback builds a string,
/// so its answer is kept for the rows after the first (all rows of a result, and of every later
/// result of a cached statement, share one `PGColumns`).
package final class PGPropertyPositions: Sendable {
    /// Property name → column position, or -1 for none.
    private let known = Mutex<[String: Int]>([:])

    /// The position for `name` in `columns`: the exact column name, else its snake_case form.
    package func position(of name: String, in columns: PGColumns) -> Int? {
        if let cached = known.withLock({ $0[name] }) { return cached >= 0 ? cached : nil }
        let position = columns.position(of: name) ?? columns.position(of: Self.snakeCase(name))
        known.withLock { $0[name] = position ?? -1 }
        return position
    }

    /// `createdAt` → `created_at`; a run of capitals is one word: `userID` → `user_id`,
    /// `rawURLValue` → `raw_url_value`.
    package static func snakeCase(_ name: String) -> String {
        let characters = Array(name)
        var result = ""
        for (index, character) in characters.enumerated() {
            if character.isUppercase, index > 0 {
                let previous = characters[index - 1]
                let nextIsLower = index + 1 < characters.count && characters[index + 1].isLowercase
                if !previous.isUppercase || nextIsLower { result.append("_") }
            }
            result += character.lowercased()
        }
        return result
    }
}
