/// A failure of the benchmark itself (bad arguments, a tool missing, a run that broke), with a
/// message meant for the person running it.
struct BenchError: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}
