/// The fuzz entry points, chosen by name on the command line or in `PGWIRE_FUZZ_ENTRY`.
///
/// Each entry takes arbitrary bytes and must never crash on them; it traps (see ``fuzzCheck``)
/// only when the code under test contradicts itself, which libFuzzer then reports as a crash.
enum FuzzEntry: String, CaseIterable, Sendable {
    /// Backend and frontend message decoding, incremental and all at once, and re-encoding.
    case decoder
    /// A SCRAM-SHA-256 exchange fed hostile server-first and server-final messages.
    case scram
    /// The connection state machine driven by decoded backend messages.
    case statemachine
    /// The connection-string parsers (URIs and `key=value`) and `PGConfig`'s resolution.
    case config
    /// Binary COPY data through `PGCopyRow` and the codecs, and the COPY messages.
    case copy
    /// The pool's state machine driven by random events and checked against a model.
    case pool
    /// The request pipeline against a simulated server, driven by random events and checked
    /// against a model of what each caller must get.
    case pipeline

    /// Runs the entry on one input.
    func run(_ input: [UInt8]) {
        switch self {
        case .decoder: DecoderFuzzing.run(input)
        case .scram: SCRAMFuzzing.run(input)
        case .statemachine: StateMachineFuzzing.run(input)
        case .config: ConfigFuzzing.run(input)
        case .copy: CopyFuzzing.run(input)
        case .pool: PoolFuzzing.run(input)
        case .pipeline: PipelineFuzzing.run(input)
        }
    }

    /// The environment variable that names the entry when the first argument does not.
    static let environmentVariable = "PGWIRE_FUZZ_ENTRY"

    /// The entry named by `firstArgument` or, failing that, by the environment variable.
    ///
    /// - Returns: the entry and whether it came from the first argument (which must then be
    ///   removed before the remaining arguments go to libFuzzer), or `nil` when neither names one.
    static func select(firstArgument: String?, environment: String?) -> (
        entry: FuzzEntry, fromArgument: Bool
    )? {
        if let firstArgument, let entry = FuzzEntry(rawValue: firstArgument) {
            return (entry, true)
        }
        if let environment, let entry = FuzzEntry(rawValue: environment) {
            return (entry, false)
        }
        return nil
    }

    static var usage: String {
        let names = allCases.map(\.rawValue).joined(separator: "|")
        return "usage: pgwire-fuzz <\(names)> [files or folders | libFuzzer options]"
            + " (or set \(environmentVariable)=<\(names)>)"
    }
}

/// Stops the process when the code under test contradicts itself. Only the fuzz target traps:
/// libFuzzer turns the trap into a saved crash input.
func fuzzCheck(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String) {
    if !condition() {
        fatalError("pgwire-fuzz: \(message())")
    }
}
