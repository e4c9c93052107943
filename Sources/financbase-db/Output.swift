import Foundation

/// Lines written straight to standard output, so progress shows at once even through a pipe.
enum Output {
    /// Writes `text` and a newline, flushed. A closed pipe (`| head`) makes writes fail quietly
    /// once ``ignoreBrokenPipe()`` ran, so the run still cleans up after itself.
    static func line(_ text: String = "") {
        print(text)
        fflush(nil)
    }

    /// Turns SIGPIPE off: a reader that goes away no longer kills the process mid-run.
    static func ignoreBrokenPipe() {
        signal(SIGPIPE, SIG_IGN)
    }

    /// A blank line, then `== title ==` ruled out to 78 columns.
    static func heading(_ title: String) {
        let text = "== \(title) "
        line()
        line(text + String(repeating: "=", count: max(2, 78 - text.count)))
    }

    /// A sub-heading under a heading.
    static func section(_ title: String) {
        line()
        line(title)
    }
}

extension UUID {
    /// The lowercase form PostgreSQL prints.
    var lowercased: String { uuidString.lowercased() }
}
