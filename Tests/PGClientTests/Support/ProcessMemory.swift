import Foundation

/// The test process's memory, as Linux reports it.
enum ProcessMemory {
    /// The resident set size in bytes (`VmRSS` of `/proc/self/status`).
    static func residentBytes() throws -> Int {
        let status = try String(contentsOfFile: "/proc/self/status", encoding: .utf8)
        guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
            let kilobytes = line.split(separator: " ").dropFirst().first.flatMap({ Int($0) })
        else {
            throw TestSupportError("no VmRSS line in /proc/self/status")
        }
        return kilobytes * 1024
    }
}
