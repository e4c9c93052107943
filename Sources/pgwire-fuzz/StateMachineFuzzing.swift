/// The `statemachine` entry.
///
/// Stub until `ConnectionStateMachine` lands in main: it runs the decoder entry for now. The lead
/// replaces ``run(_:)``'s body with a loop that decodes backend messages from the input and feeds
/// each to the state machine as an event, checking that the actions it returns stay consistent.
enum StateMachineFuzzing {
    static func run(_ input: [UInt8]) {
        DecoderFuzzing.run(input)
    }
}
