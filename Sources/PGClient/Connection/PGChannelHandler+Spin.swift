import NIOCore

extension PGChannelHandler {
    /// A caller on the loop wrote a request and waits for its answer here: when ``spin`` says
    /// so, the loop looks at its socket every ``EventLoopSpin/pollInterval`` until the answer is
    /// read or the spin's time is up, instead of sleeping until the kernel wakes it.
    func startSpinning() {
        // The budget first: with polling off, no clock is read.
        guard spin.budget > 0, spin.requestWritten(now: NIODeadline.now().uptimeNanoseconds) else { return }
        queueSpinPoll()
    }

    private func queueSpinPoll() {
        let handler = NIOLoopBound(self, eventLoop: eventLoop)
        eventLoop.scheduleTask(in: EventLoopSpin.pollInterval) { handler.value.spinPoll() }
    }

    private func spinPoll() {
        if spin.poll(now: NIODeadline.now().uptimeNanoseconds) { queueSpinPoll() }
    }
}
