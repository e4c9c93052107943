import Financbase
import Foundation

/// Progress of a backup or restore on standard error, one rewritten line (table, rows, bytes,
/// rate), only when standard error is a terminal; at most every quarter second.
final class BackupProgressLine {
    private let enabled = isatty(STDERR_FILENO) != 0
    private let clock = ContinuousClock()
    private var tableStart = ContinuousClock.now
    private var lastPrint = ContinuousClock.now

    /// Reports `progress`.
    func report(_ progress: BackupProgress) {
        guard enabled else { return }
        switch progress {
        case .tableStarted:
            tableStart = clock.now
        case .tableAdvanced(let table, let rows, let bytes):
            guard clock.now - lastPrint > .milliseconds(250) else { return }
            write(table, rows: rows, bytes: bytes, newline: false)
        case .tableFinished(let table, let rows, let bytes):
            write(table, rows: rows, bytes: bytes, newline: true)
        }
    }

    private func write(_ table: String, rows: Int, bytes: Int, newline: Bool) {
        lastPrint = clock.now
        let elapsed = clock.now - tableStart
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let rate = seconds > 0 ? Double(bytes) / seconds / 1_048_576 : 0
        let line = String(
            format: "\r\u{1B}[K%@  %d rows  %.1f MiB  %.1f MiB/s", table, rows, Double(bytes) / 1_048_576, rate)
        FileHandle.standardError.write(Data((line + (newline ? "\n" : "")).utf8))
    }
}

/// The summary of a backup or restore: JSON with `--json`, else a line.
enum BackupSummaryOutput {
    static func print(_ summary: BackupSummary, verb: String, json: Bool) throws {
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            Output.line(String(decoding: try encoder.encode(summary), as: UTF8.self))
        } else {
            Output.line(
                String(
                    format: "%@ %@: %d tables, %d rows, %d bytes (%d uncompressed, ratio %.2f) in %.2f s",
                    verb, summary.file, summary.tables.count, summary.rows, summary.fileBytes,
                    summary.uncompressedBytes, summary.compressionRatio, summary.seconds))
        }
    }
}
