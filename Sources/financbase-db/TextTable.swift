/// A table printed with aligned columns: text left-aligned, numbers and money right-aligned.
struct TextTable {
    /// How a column aligns.
    enum Alignment {
        case left, right
    }

    let headers: [String]
    let alignments: [Alignment]
    var rows: [[String]] = []

    /// A table with `columns` (title, alignment).
    init(_ columns: [(String, Alignment)]) {
        headers = columns.map(\.0)
        alignments = columns.map(\.1)
    }

    mutating func add(_ cells: [String]) {
        rows.append(cells)
    }

    /// The header, a rule, then the rows, each line indented by `indent` spaces.
    func render(indent: Int = 2) -> String {
        let all = [headers] + rows
        let widths = headers.indices.map { column in
            all.map { column < $0.count ? $0[column].count : 0 }.max() ?? 0
        }
        func line(_ cells: [String]) -> String {
            let padded = widths.indices.map { column in
                let cell = column < cells.count ? cells[column] : ""
                let gap = String(repeating: " ", count: widths[column] - cell.count)
                return alignments[column] == .left ? cell + gap : gap + cell
            }
            return String(repeating: " ", count: indent)
                + padded.joined(separator: "  ").trimmingTrailingSpaces()
        }
        let rule =
            String(repeating: " ", count: indent)
            + widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")
        return ([line(headers), rule] + rows.map(line)).joined(separator: "\n")
    }
}

extension String {
    func trimmingTrailingSpaces() -> String {
        var text = self
        while text.last == " " { text.removeLast() }
        return text
    }

    /// At most `length` characters, an ellipsis marking a cut.
    func truncated(to length: Int) -> String {
        count <= length ? self : String(prefix(length - 1)) + "…"
    }
}
